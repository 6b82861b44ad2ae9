package io.facekit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.baidu.aip.face.AipFace;
import com.baidu.aip.face.FaceVerifyRequest;
import com.baidu.aip.face.MatchRequest;
import java.io.File;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.json.JSONArray;
import org.json.JSONException;
import org.json.JSONObject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The shared SDK cases (bindings/cases/*.json, see its README) through AipFace: each case's Python method
 * name becomes the Java name methods.json gives it, and the generated method is called by reflection with
 * the SDK's argument types (strings, request lists, string-valued option maps).
 */
class SharedCasesTest {
    private static final int UNSUPPORTED = 3;
    private static final AtomicInteger RUNS = new AtomicInteger();

    @TestFactory
    Stream<DynamicTest> sharedCases() throws JSONException {
        Map<String, String> javaNames = javaNames();
        File[] files = Fixtures.REPO.resolve("bindings/cases").toFile().listFiles();
        assertTrue(files != null && files.length > 0, "no case files");
        Arrays.sort(files);
        List<DynamicTest> tests = new ArrayList<DynamicTest>();
        for (File file : files) {
            if (!file.getName().endsWith(".json")) {
                continue;
            }
            String stem = file.getName().replaceFirst("\\.json$", "");
            JSONArray cases = new JSONObject(Fixtures.read(file.toPath())).getJSONArray("cases");
            for (int i = 0; i < cases.length(); i++) {
                final JSONObject testCase = cases.getJSONObject(i);
                tests.add(
                        DynamicTest.dynamicTest(
                                stem + "::" + testCase.getString("name"),
                                () -> run(testCase, javaNames)));
            }
        }
        return tests.stream();
    }

    /** Python name to Java name, from methods.json (the table the class is generated from). */
    private static Map<String, String> javaNames() throws JSONException {
        JSONArray methods =
                new JSONObject(Fixtures.read(Fixtures.REPO.resolve("bindings/sdk/methods.json")))
                        .getJSONArray("methods");
        Map<String, String> names = new HashMap<String, String>();
        for (int i = 0; i < methods.length(); i++) {
            JSONObject m = methods.getJSONObject(i);
            if (!m.isNull("python") && !m.isNull("java")) {
                names.put(m.getString("python"), m.getString("java"));
            }
        }
        return names;
    }

    private static void run(JSONObject testCase, Map<String, String> javaNames) throws Exception {
        AipFace client = Fixtures.client();
        Map<String, Object> saved = new HashMap<String, Object>();
        String run = "java" + RUNS.incrementAndGet() + "_" + Long.toString(System.nanoTime() % 1000000007L);
        JSONArray steps = testCase.getJSONArray("steps");
        for (int i = 0; i < steps.length(); i++) {
            JSONObject step = steps.getJSONObject(i);
            String python = step.getString("call");
            String name = javaNames.get(python);
            if (name == null) {
                fail("step " + i + ": " + python + " has no Java name in methods.json");
            }
            JSONArray args =
                    (JSONArray) resolve(step.has("args") ? step.get("args") : new JSONArray(), saved, run);
            Object options = step.has("options") ? resolve(step.get("options"), saved, run) : null;
            JSONObject response = invoke(client, name, args, (JSONObject) options);
            JSONObject expect =
                    (JSONObject) resolve(step.has("expect") ? step.get("expect") : new JSONObject(), saved, run);
            if (response.getInt("error_code") == UNSUPPORTED
                    && !(expect.has("error_code") && expect.optInt("error_code") == UNSUPPORTED)) {
                System.out.println("SKIPPED: " + name + " answers 3 Unsupported openapi method in this build");
                Assumptions.assumeTrue(false, "SKIPPED: " + name + " answers 3 in this build");
            }
            for (Iterator<String> keys = expect.keys(); keys.hasNext(); ) {
                String path = keys.next();
                String problem = check(lookup(response, path), expect.get(path));
                if (problem != null) {
                    fail("step " + i + " " + name + ": " + path + " " + problem + "\n  response: " + response);
                }
            }
            if (step.has("save")) {
                JSONObject save = step.getJSONObject("save");
                for (Iterator<String> keys = save.keys(); keys.hasNext(); ) {
                    String key = keys.next();
                    saved.put(key, lookup(response, save.getString(key)));
                }
            }
        }
    }

    /** Calls the generated method {@code name} with the step's arguments in the SDK's Java types. */
    private static JSONObject invoke(AipFace client, String name, JSONArray args, JSONObject options)
            throws Exception {
        Method method = null;
        for (Method m : AipFace.class.getMethods()) {
            if (m.getName().equals(name)) {
                assertEquals(null, method, name + " is overloaded");
                method = m;
            }
        }
        assertTrue(method != null, "AipFace has no method " + name);
        Type[] types = method.getGenericParameterTypes();
        Object[] values = new Object[types.length];
        int positional = args.length();
        boolean takesOptions = types.length == positional + 1;
        assertTrue(takesOptions || types.length == positional, name + ": argument count");
        for (int i = 0; i < positional; i++) {
            values[i] = javaValue(types[i], args.get(i));
        }
        if (takesOptions) {
            values[positional] = options == null ? null : optionMap(types[positional], options);
        } else {
            assertEquals(null, options, name + " takes no options");
        }
        return (JSONObject) method.invoke(client, values);
    }

    private static Object javaValue(Type type, Object json) throws JSONException {
        if (json == JSONObject.NULL) {
            return null;
        }
        if (type == String.class) {
            return json instanceof String ? json : String.valueOf(json);
        }
        Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
        JSONArray images = (JSONArray) json;
        List<Object> requests = new ArrayList<Object>();
        for (int i = 0; i < images.length(); i++) {
            JSONObject o = images.getJSONObject(i);
            if (element == MatchRequest.class) {
                requests.add(
                        new MatchRequest(
                                text(o, "image"),
                                text(o, "image_type"),
                                text(o, "face_type"),
                                text(o, "quality_control"),
                                text(o, "liveness_control")));
            } else if (element == FaceVerifyRequest.class) {
                requests.add(new FaceVerifyRequest(text(o, "image"), text(o, "image_type"), text(o, "face_field")));
            } else {
                fail("no case conversion for " + type);
            }
        }
        return requests;
    }

    private static String text(JSONObject o, String key) {
        return o.isNull(key) ? null : String.valueOf(o.opt(key));
    }

    /** Options as the SDK's users pass them: strings for HashMap<String, String>, values for Object maps. */
    private static HashMap<String, Object> optionMap(Type type, JSONObject options) {
        boolean strings =
                ((ParameterizedType) type).getActualTypeArguments()[1] == String.class;
        HashMap<String, Object> map = new HashMap<String, Object>();
        for (Iterator<String> keys = options.keys(); keys.hasNext(); ) {
            String key = keys.next();
            Object value = options.opt(key);
            map.put(key, strings ? String.valueOf(value) : value);
        }
        return map;
    }

    private static Object resolve(Object v, Map<String, Object> saved, String run) throws JSONException {
        if (v instanceof String) {
            return ((String) v).replace("${run}", run);
        }
        if (v instanceof JSONArray) {
            JSONArray in = (JSONArray) v;
            JSONArray out = new JSONArray();
            for (int i = 0; i < in.length(); i++) {
                out.put(resolve(in.get(i), saved, run));
            }
            return out;
        }
        if (v instanceof JSONObject) {
            JSONObject in = (JSONObject) v;
            if (in.has("$base64")) {
                return Fixtures.b64(in.getString("$base64"));
            }
            if (in.has("$file_url")) {
                return "file://" + Fixtures.TESTDATA.resolve(in.getString("$file_url")).toAbsolutePath().normalize();
            }
            if (in.has("$var")) {
                Object value = saved.get(in.getString("$var"));
                return value == null ? JSONObject.NULL : value;
            }
            JSONObject out = new JSONObject();
            for (Iterator<String> keys = in.keys(); keys.hasNext(); ) {
                String key = keys.next();
                out.put(key, resolve(in.get(key), saved, run));
            }
            return out;
        }
        return v;
    }

    /** The value at a dotted path (numbers index arrays), or null where there is none. */
    private static Object lookup(Object v, String path) {
        for (String key : path.split("\\.")) {
            if (v instanceof JSONArray && key.matches("\\d+")) {
                v = ((JSONArray) v).opt(Integer.parseInt(key));
            } else if (v instanceof JSONObject) {
                v = ((JSONObject) v).opt(key);
            } else {
                return null;
            }
        }
        return v == JSONObject.NULL ? null : v;
    }

    private static String typeName(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Boolean) {
            return "boolean";
        }
        if (v instanceof Integer || v instanceof Long) {
            return "integer";
        }
        if (v instanceof Number) {
            double d = ((Number) v).doubleValue();
            return d == Math.rint(d) && !Double.isInfinite(d) && v.toString().indexOf('.') < 0 ? "integer" : "number";
        }
        if (v instanceof String) {
            return "string";
        }
        return v instanceof JSONArray ? "array" : "object";
    }

    private static boolean same(Object actual, Object expected) {
        if (expected == JSONObject.NULL) {
            return actual == null;
        }
        if (actual instanceof Number && expected instanceof Number) {
            return ((Number) actual).doubleValue() == ((Number) expected).doubleValue();
        }
        return expected.equals(actual) || (actual != null && expected.toString().equals(actual.toString())
                && (actual instanceof JSONObject || actual instanceof JSONArray));
    }

    /** Null when {@code actual} meets {@code expected} (a value, or an object of matchers); else why not. */
    private static String check(Object actual, Object expected) throws JSONException {
        if (!(expected instanceof JSONObject)) {
            return same(actual, expected) ? null : "is " + actual + ", expected " + expected;
        }
        JSONObject matchers = (JSONObject) expected;
        for (Iterator<String> ops = matchers.keys(); ops.hasNext(); ) {
            String op = ops.next();
            Object arg = matchers.get(op);
            boolean ok;
            switch (op) {
                case "equals":
                    ok = same(actual, arg);
                    break;
                case "min":
                    ok = actual instanceof Number && ((Number) actual).doubleValue() >= ((Number) arg).doubleValue();
                    break;
                case "max":
                    ok = actual instanceof Number && ((Number) actual).doubleValue() <= ((Number) arg).doubleValue();
                    break;
                case "len":
                    int len = ((Number) arg).intValue();
                    ok = (actual instanceof JSONArray && ((JSONArray) actual).length() == len)
                            || (actual instanceof String && ((String) actual).codePointCount(0, ((String) actual).length()) == len);
                    break;
                case "type":
                    String type = typeName(actual);
                    ok = type.equals(arg) || ("number".equals(arg) && "integer".equals(type));
                    break;
                case "contains":
                    ok = false;
                    if (actual instanceof JSONArray) {
                        for (int i = 0; i < ((JSONArray) actual).length(); i++) {
                            ok |= same(((JSONArray) actual).opt(i), arg);
                        }
                    }
                    break;
                case "absent":
                    ok = (actual == null) == (Boolean) arg;
                    break;
                default:
                    return "unknown matcher " + op;
            }
            if (!ok) {
                return "is " + actual + ", expected " + op + " " + arg;
            }
        }
        return null;
    }
}
