package io.facekit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.baidu.aip.face.AipFace;
import com.baidu.aip.face.FaceVerifyRequest;
import com.baidu.aip.face.MatchRequest;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.json.JSONArray;
import org.json.JSONException;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

/** AipFace beyond the shared cases: Java-only methods, the SDK's request classes, bad input, threads. */
class AipFaceTest {
    private static final AipFace CLIENT = Fixtures.client();

    private static List<MatchRequest> pair(String a, String b) {
        return Arrays.asList(
                new MatchRequest(Fixtures.b64(a), "BASE64"), new MatchRequest(Fixtures.b64(b), "BASE64"));
    }

    private static double score(JSONObject response) throws JSONException {
        assertEquals(0, response.getInt("error_code"), response.toString());
        return response.getJSONObject("result").getDouble("score");
    }

    @Test
    void matchScoresTheSamePersonHighAndDifferentPeopleLow() throws JSONException {
        assertTrue(score(CLIENT.match(pair("obama.jpg", "obama2.jpg"))) >= 80);
        assertTrue(score(CLIENT.match(pair("obama.jpg", "biden.jpg"))) < 60);
    }

    @Test
    void matchRequestSendsItsOptionalFields() throws JSONException {
        JSONObject json =
                new MatchRequest("img", "BASE64", "LIVE", "NONE", "NONE").toJsonObject();
        assertEquals("LIVE", json.getString("face_type"));
        assertEquals("NONE", json.getString("liveness_control"));
        assertTrue(!new MatchRequest("img", "BASE64").toJsonObject().has("face_type"));
        JSONObject response =
                CLIENT.match(
                        Arrays.asList(
                                new MatchRequest(Fixtures.b64("obama.jpg"), "BASE64", "LIVE", "NONE", "NONE"),
                                new MatchRequest(Fixtures.b64("obama3.jpg"), "BASE64", "LIVE", "LOW", "NONE")));
        assertTrue(score(response) >= 80, response.toString());
    }

    @Test
    void detectTakesStringOptions() throws JSONException {
        HashMap<String, String> options = new HashMap<String, String>();
        options.put("max_face_num", "2");
        options.put("face_field", "age,gender");
        JSONObject response = CLIENT.detect(Fixtures.b64("obama.jpg"), "BASE64", options);
        assertEquals(0, response.getInt("error_code"), response.toString());
        JSONObject face = response.getJSONObject("result").getJSONArray("face_list").getJSONObject(0);
        assertEquals("male", face.getJSONObject("gender").getString("type"));
        assertTrue(face.getInt("age") > 20);
    }

    @Test
    void faceverifyTakesItsRequestClass() throws JSONException {
        JSONObject response =
                CLIENT.faceverify(
                        Arrays.asList(new FaceVerifyRequest(Fixtures.b64("obama.jpg"), "BASE64", "age")));
        // Offline liveness needs the optional model pack; with or without it, the answer is the cloud's JSON.
        assertTrue(response.has("error_code") && response.has("log_id"), response.toString());
    }

    @Test
    void javaOnlyMethodsAnswerOnlineOnly() throws JSONException {
        JSONObject video = CLIENT.videoFaceliveness("session", new byte[] {1, 2, 3}, null);
        assertEquals(6, video.getInt("error_code"), video.toString());
        HashMap<String, Object> options = new HashMap<String, Object>();
        options.put("any", 1);
        JSONObject idMatch = CLIENT.idMatch("110101199001011234", "张三", options);
        assertEquals(6, idMatch.getInt("error_code"), idMatch.toString());
        assertEquals(6, CLIENT.idMatch("110101199001011234", "张三", null).getInt("error_code"));
    }

    @Test
    void videoBytesAreSentAsBase64() throws Exception {
        Method base64 = AipFace.class.getDeclaredMethod("base64", byte[].class);
        base64.setAccessible(true);
        Random random = new Random(7);
        for (int length = 0; length < 12; length++) {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            assertEquals(Base64.getEncoder().encodeToString(bytes), base64.invoke(null, (Object) bytes));
        }
        assertEquals(null, base64.invoke(null, (Object) null));
    }

    @Test
    void nullArgumentsAnswerBaiduErrors() throws JSONException {
        JSONObject image = CLIENT.detect(null, "BASE64", null);
        assertNotEquals(0, image.getInt("error_code"), image.toString());
        assertTrue(image.has("error_msg") && image.has("log_id"));
        JSONObject type = CLIENT.detect(Fixtures.b64("obama.jpg"), null, null);
        assertNotEquals(0, type.getInt("error_code"), type.toString());
        JSONObject list = CLIENT.match(null);
        assertNotEquals(0, list.getInt("error_code"), list.toString());
        List<MatchRequest> holes = new ArrayList<MatchRequest>();
        holes.add(null);
        holes.add(new MatchRequest(null, null));
        assertNotEquals(0, CLIENT.match(holes).getInt("error_code"));
        assertNotEquals(0, CLIENT.faceverify(null).getInt("error_code"));
        assertNotEquals(0, CLIENT.addUser(null, null, null, null, null).getInt("error_code"));
    }

    @Test
    void nullAndEmptyOptionsAreNoOptions() throws JSONException {
        String image = Fixtures.b64("biden.jpg");
        assertEquals(0, CLIENT.detect(image, "BASE64", null).getInt("error_code"));
        assertEquals(0, CLIENT.detect(image, "BASE64", new HashMap<String, String>()).getInt("error_code"));
        HashMap<String, String> nullValue = new HashMap<String, String>();
        nullValue.put("max_face_num", null);
        assertEquals(0, CLIENT.detect(image, "BASE64", nullValue).getInt("error_code"));
    }

    @Test
    void badStringsAnswerBaiduErrors() throws JSONException {
        assertEquals(222203, CLIENT.detect("bm90IGFuIGltYWdl", "BASE64", null).getInt("error_code"));
        JSONObject type = CLIENT.detect("x", "NOT_A_TYPE", null);
        assertEquals(222015, type.getInt("error_code"), type.toString());
        JSONObject group = CLIENT.groupAdd("no spaces allowed", null);
        assertEquals(222006, group.getInt("error_code"), group.toString());
        JSONObject lone = CLIENT.detect("\ud800", "BASE64", null);
        assertNotEquals(0, lone.getInt("error_code"), lone.toString());
    }

    /** Java strings cross JNI as modified UTF-8: characters outside the BMP must come back whole. */
    @Test
    void textOutsideTheBasicPlaneRoundTrips() throws JSONException {
        String group = "java_text_" + Long.toString(System.nanoTime() % 1000000007L);
        String info = "Barack \ud83d\ude00 张三";
        HashMap<String, String> options = new HashMap<String, String>();
        options.put("user_info", info);
        JSONObject added = CLIENT.addUser(Fixtures.b64("obama.jpg"), "BASE64", group, "obama", options);
        assertEquals(0, added.getInt("error_code"), added.toString());
        JSONObject user = CLIENT.getUser("obama", group, null);
        assertEquals(
                info,
                user.getJSONObject("result").getJSONArray("user_list").getJSONObject(0).getString("user_info"));
        assertEquals(0, CLIENT.groupDelete(group, null).getInt("error_code"));
    }

    @Test
    void aClosedClientAnswersAnError() throws JSONException {
        AipFace client = new AipFace("a", "b", "c");
        assertEquals(0, client.detect(Fixtures.b64("obama.jpg"), "BASE64", null).getInt("error_code"));
        client.close();
        JSONObject response = client.detect(Fixtures.b64("obama.jpg"), "BASE64", null);
        assertEquals(222001, response.getInt("error_code"), response.toString());
        client.close();
        assertEquals(222001, client.getGroupList(null).getInt("error_code"));
        // The engine lives on for the other clients of its config.
        assertEquals(0, CLIENT.getGroupList(null).getInt("error_code"));
    }

    @Test
    void fourThreadsShareOneClient() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Double>> scores = new ArrayList<Future<Double>>();
            for (int i = 0; i < 8; i++) {
                final boolean same = i % 2 == 0;
                scores.add(
                        pool.submit(
                                new Callable<Double>() {
                                    @Override
                                    public Double call() throws JSONException {
                                        return score(CLIENT.match(pair("obama.jpg", same ? "obama2.jpg" : "biden.jpg")));
                                    }
                                }));
            }
            for (int i = 0; i < scores.size(); i++) {
                double score = scores.get(i).get();
                assertTrue(i % 2 == 0 ? score >= 80 : score < 60, "call " + i + ": " + score);
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void closingWhileOtherThreadsCallNeverCrashes() throws Exception {
        final AipFace client = new AipFace("a", "b", "c");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> codes = new ArrayList<Future<Integer>>();
            for (int i = 0; i < 8; i++) {
                codes.add(
                        pool.submit(
                                new Callable<Integer>() {
                                    @Override
                                    public Integer call() throws JSONException {
                                        return client.detect(Fixtures.b64("obama.jpg"), "BASE64", null).getInt("error_code");
                                    }
                                }));
            }
            client.close();
            for (Future<Integer> code : codes) {
                int value = code.get();
                assertTrue(value == 0 || value == 222001, "error_code " + value);
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void theFacekitConstructorTakesTheEngineConfig() throws JSONException {
        AipFace client = new AipFace("a", "b", "c", Fixtures.explicitConfig());
        try {
            assertTrue(score(client.match(pair("obama.jpg", "obama3.jpg"))) >= 80);
        } finally {
            client.close();
        }
        Map<String, Object> missing = new HashMap<String, Object>();
        missing.put("model_dir", "/nonexistent/models");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> new AipFace("a", "b", "c", missing));
        assertTrue(e.getMessage().startsWith("222302"), e.getMessage());
        Map<String, Object> unknown = new HashMap<String, Object>();
        unknown.put("no_such_key", 1);
        assertThrows(IllegalArgumentException.class, () -> new AipFace("a", "b", "c", unknown));
    }

    @Test
    void setupMethodsOfTheSdkAreAccepted() throws JSONException {
        AipFace client = Fixtures.client();
        client.setConnectionTimeoutInMillis(2000);
        client.setSocketTimeoutInMillis(60000);
        client.setHttpProxy("proxy.invalid", 8080);
        client.setSocketProxy("proxy.invalid", 1080);
        assertEquals(0, client.getGroupList(null).getInt("error_code"));
    }

    @Test
    void theRawApiAnswersThroughTheEngine() throws JSONException {
        Engine engine = new Engine(null);
        try {
            JSONObject request = new JSONObject();
            request.put("image", Fixtures.b64("obama.jpg"));
            request.put("image_type", "BASE64");
            JSONObject response = new JSONObject(engine.call("detect", request.toString()));
            assertEquals(1, response.getJSONObject("result").getInt("face_num"), response.toString());
            assertEquals(222200, new JSONObject(engine.call("detect", "{not json")).getInt("error_code"));
            assertEquals(222001, new JSONObject(engine.call(null, "{}")).getInt("error_code"));
            assertEquals(222001, new JSONObject(engine.call("detect", null)).getInt("error_code"));
            assertEquals(3, new JSONObject(engine.sdkCall("noSuchMethod", "[]", null)).getInt("error_code"));
            assertEquals(222200, new JSONObject(engine.sdkCall("detect", "[1,", null)).getInt("error_code"));
            assertEquals(222001, new JSONObject(engine.sdkCall(null, "[]", null)).getInt("error_code"));
        } finally {
            engine.close();
        }
    }

    /** Every method of the table, with the generated signature, and nothing else by a table name. */
    @Test
    void theClassHasEveryMethodOfTheTableWithItsTypes() throws JSONException {
        JSONArray table = new JSONArray(Engine.sdkMethods());
        Set<String> tableNames = new HashSet<String>();
        for (int i = 0; i < table.length(); i++) {
            JSONObject m = table.getJSONObject(i);
            tableNames.add(m.getString("name"));
        }
        Set<String> actual = new TreeSet<String>();
        for (Method m : AipFace.class.getDeclaredMethods()) {
            if (!tableNames.contains(m.getName())) {
                continue;
            }
            assertTrue(Modifier.isPublic(m.getModifiers()), m.getName() + " is public");
            assertEquals(JSONObject.class, m.getReturnType(), m.getName());
            StringBuilder signature = new StringBuilder(m.getName()).append('(');
            Type[] types = m.getGenericParameterTypes();
            for (int i = 0; i < types.length; i++) {
                signature.append(i == 0 ? "" : ",").append(types[i].getTypeName());
            }
            actual.add(signature.append(')').toString());
        }
        assertEquals(new TreeSet<String>(Arrays.asList(AipFaceSignatures.METHODS)), actual);
        for (int i = 0; i < table.length(); i++) {
            JSONObject m = table.getJSONObject(i);
            int count = m.getJSONArray("params").length() + (m.getBoolean("options") ? 1 : 0);
            boolean found = false;
            for (Method method : AipFace.class.getMethods()) {
                found |= method.getName().equals(m.getString("name")) && method.getParameterCount() == count;
            }
            assertTrue(found, m.toString());
        }
    }
}
