package com.baidu.aip.face;

import io.facekit.Engine;
import java.io.Closeable;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.json.JSONArray;
import org.json.JSONException;
import org.json.JSONObject;

/**
 * The Java SDK's {@code com.baidu.aip.face.AipFace} (aip-java-sdk 4.11.1), answered on this device by
 * facekit: the same methods and signatures, the cloud's JSON ({@code error_code}, {@code error_msg},
 * {@code log_id}, {@code timestamp}, {@code cached}, {@code result}) as an {@link JSONObject}, errors
 * included. Nothing leaves the device; the credentials are accepted and ignored.
 *
 * <p>Clients opened with the same engine config share one engine and one face library, as a cloud app's
 * clients share its library. A client is safe to use from any number of threads.
 *
 * <p>The methods between the GENERATED markers are rendered from {@code bindings/sdk/methods.json} by
 * {@code bindings/java/tests/generated.rs} ({@code FACEKIT_BLESS=1 cargo test -p facekit-java} rewrites
 * them); the rest of this file is written by hand.
 */
public class AipFace implements Closeable {
    private final Engine engine;

    /** The cloud SDK's constructor: the engine's default config (models from {@code FACEKIT_MODELS}). */
    public AipFace(String appId, String apiKey, String secretKey) {
        this(appId, apiKey, secretKey, null);
    }

    /**
     * A client on the engine of {@code engineConfig}: any of {@code model_dir}, {@code ort_library},
     * {@code faceset_db} (SQLite file of the face library; default: in memory, for the life of the process),
     * {@code threads}, {@code flip_embedding}; {@code null} is the default config.
     *
     * @throws IllegalArgumentException when the config is malformed or a model cannot be loaded
     */
    public AipFace(String appId, String apiKey, String secretKey, Map<String, ?> engineConfig) {
        engine = new Engine(engineConfig == null ? null : new JSONObject(engineConfig).toString());
    }

    /** Accepted for compatibility; there is no connection. */
    public void setConnectionTimeoutInMillis(int timeout) {}

    /** Accepted for compatibility; there is no socket. */
    public void setSocketTimeoutInMillis(int timeout) {}

    /** Accepted for compatibility; there is no network. */
    public void setHttpProxy(String host, int port) {}

    /** Accepted for compatibility; there is no network. */
    public void setSocketProxy(String host, int port) {}

    /**
     * Releases this client's engine (the models stay loaded while another client holds them). A call after
     * it answers error 222001, never a crash.
     */
    @Override
    public void close() {
        engine.close();
    }

    /** Runs SDK method {@code name} on its positional arguments and options through the shared table. */
    private JSONObject sdkCall(String name, Object[] args, Map<String, ?> options) {
        JSONArray argsJson = new JSONArray();
        for (Object arg : args) {
            argsJson.put(arg == null ? JSONObject.NULL : arg);
        }
        String optionsJson = options == null ? null : new JSONObject(options).toString();
        String response = engine.sdkCall(name, argsJson.toString(), optionsJson);
        try {
            return new JSONObject(response);
        } catch (JSONException e) {
            // The native side answers JSON on every path, errors included.
            throw new IllegalStateException("facekit answered something that is not JSON: " + response, e);
        }
    }

    /** The request list of {@code match} or {@code faceverify}: each image's JSON, null staying null. */
    private static JSONArray images(List<? extends ImageRequest> input) {
        if (input == null) {
            return null;
        }
        JSONArray images = new JSONArray();
        for (ImageRequest request : input) {
            images.put(request == null ? JSONObject.NULL : request.toJsonObject());
        }
        return images;
    }

    private static final char[] BASE64_DIGITS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();

    /**
     * The SDK takes video bytes and sends them as BASE64. Written out because java.util.Base64 needs Android
     * API 26 and android.util.Base64 is not on the desktop.
     */
    private static String base64(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        StringBuilder out = new StringBuilder((bytes.length + 2) / 3 * 4);
        for (int i = 0; i < bytes.length; i += 3) {
            int remaining = Math.min(3, bytes.length - i);
            int group = (bytes[i] & 0xff) << 16;
            group |= remaining > 1 ? (bytes[i + 1] & 0xff) << 8 : 0;
            group |= remaining > 2 ? bytes[i + 2] & 0xff : 0;
            for (int j = 0; j < 4; j++) {
                out.append(j <= remaining ? BASE64_DIGITS[(group >> (18 - 6 * j)) & 0x3f] : '=');
            }
        }
        return out.toString();
    }

    // BEGIN GENERATED METHODS

    /** The SDK's detect; facekit answers it as the API's {@code v3/detect}. */
    public JSONObject detect(String image, String imageType, HashMap<String, String> options) {
        return sdkCall("detect", new Object[] {image, imageType}, options);
    }

    /** The SDK's search; facekit answers it as the API's {@code v3/search}. */
    public JSONObject search(String image, String imageType, String groupIdList, HashMap<String, String> options) {
        return sdkCall("search", new Object[] {image, imageType, groupIdList}, options);
    }

    /** The SDK's multiSearch; facekit answers it as the API's {@code v3/multi-search}. */
    public JSONObject multiSearch(String image, String imageType, String groupIdList, HashMap<String, String> options) {
        return sdkCall("multiSearch", new Object[] {image, imageType, groupIdList}, options);
    }

    /** The SDK's addUser; facekit answers it as the API's {@code v3/faceset/user/add}. */
    public JSONObject addUser(String image, String imageType, String groupId, String userId, HashMap<String, String> options) {
        return sdkCall("addUser", new Object[] {image, imageType, groupId, userId}, options);
    }

    /** The SDK's updateUser; facekit answers it as the API's {@code v3/faceset/user/update}. */
    public JSONObject updateUser(String image, String imageType, String groupId, String userId, HashMap<String, String> options) {
        return sdkCall("updateUser", new Object[] {image, imageType, groupId, userId}, options);
    }

    /** The SDK's faceDelete; facekit answers it as the API's {@code v3/faceset/face/delete}. */
    public JSONObject faceDelete(String userId, String groupId, String faceToken, HashMap<String, String> options) {
        return sdkCall("faceDelete", new Object[] {userId, groupId, faceToken}, options);
    }

    /** The SDK's getUser; facekit answers it as the API's {@code v3/faceset/user/get}. */
    public JSONObject getUser(String userId, String groupId, HashMap<String, String> options) {
        return sdkCall("getUser", new Object[] {userId, groupId}, options);
    }

    /** The SDK's faceGetlist; facekit answers it as the API's {@code v3/faceset/face/getlist}. */
    public JSONObject faceGetlist(String userId, String groupId, HashMap<String, String> options) {
        return sdkCall("faceGetlist", new Object[] {userId, groupId}, options);
    }

    /** The SDK's getGroupUsers; facekit answers it as the API's {@code v3/faceset/group/getusers}. */
    public JSONObject getGroupUsers(String groupId, HashMap<String, String> options) {
        return sdkCall("getGroupUsers", new Object[] {groupId}, options);
    }

    /** The SDK's userCopy; facekit answers it as the API's {@code v3/faceset/user/copy}. */
    public JSONObject userCopy(String userId, HashMap<String, String> options) {
        return sdkCall("userCopy", new Object[] {userId}, options);
    }

    /** The SDK's deleteUser; facekit answers it as the API's {@code v3/faceset/user/delete}. */
    public JSONObject deleteUser(String groupId, String userId, HashMap<String, String> options) {
        return sdkCall("deleteUser", new Object[] {groupId, userId}, options);
    }

    /** The SDK's groupAdd; facekit answers it as the API's {@code v3/faceset/group/add}. */
    public JSONObject groupAdd(String groupId, HashMap<String, String> options) {
        return sdkCall("groupAdd", new Object[] {groupId}, options);
    }

    /** The SDK's groupDelete; facekit answers it as the API's {@code v3/faceset/group/delete}. */
    public JSONObject groupDelete(String groupId, HashMap<String, String> options) {
        return sdkCall("groupDelete", new Object[] {groupId}, options);
    }

    /** The SDK's getGroupList; facekit answers it as the API's {@code v3/faceset/group/getlist}. */
    public JSONObject getGroupList(HashMap<String, String> options) {
        return sdkCall("getGroupList", new Object[] {}, options);
    }

    /** The SDK's personVerify; facekit answers it as the API's {@code v3/person/verify}. */
    public JSONObject personVerify(String image, String imageType, String idCardNumber, String name, HashMap<String, String> options) {
        return sdkCall("personVerify", new Object[] {image, imageType, idCardNumber, name}, options);
    }

    /** The SDK's videoSessioncode; facekit answers it as the API's {@code v1/faceliveness/sessioncode}. */
    public JSONObject videoSessioncode(HashMap<String, String> options) {
        return sdkCall("videoSessioncode", new Object[] {}, options);
    }

    /** The SDK's videoFaceliveness; facekit answers it as the API's {@code v1/faceliveness/verify}. */
    public JSONObject videoFaceliveness(String sessionId, byte[] video, HashMap<String, String> options) {
        return sdkCall("videoFaceliveness", new Object[] {sessionId, base64(video)}, options);
    }

    /** The SDK's faceverify; facekit answers it as the API's {@code v3/faceverify}. */
    public JSONObject faceverify(List<FaceVerifyRequest> input) {
        return sdkCall("faceverify", new Object[] {images(input)}, null);
    }

    /** The SDK's match; facekit answers it as the API's {@code v3/match}. */
    public JSONObject match(List<MatchRequest> input) {
        return sdkCall("match", new Object[] {images(input)}, null);
    }

    /** The SDK's faceMingJingVerify; facekit answers it as the API's {@code v4/mingjing/verify}. */
    public JSONObject faceMingJingVerify(String idCardNumber, String name, String image, HashMap<String, String> options) {
        return sdkCall("faceMingJingVerify", new Object[] {idCardNumber, name, image}, options);
    }

    /** The SDK's faceMingJingMatch; facekit answers it as the API's {@code v4/mingjing/match}. */
    public JSONObject faceMingJingMatch(String image, String imageType, String registerImage, String registerImageType, HashMap<String, String> options) {
        return sdkCall("faceMingJingMatch", new Object[] {image, imageType, registerImage, registerImageType}, options);
    }

    /** The SDK's onlinePictureLiveV4; facekit answers it as the API's {@code v4/faceverify}. */
    public JSONObject onlinePictureLiveV4(String sdkVersion, HashMap<String, String> options) {
        return sdkCall("onlinePictureLiveV4", new Object[] {sdkVersion}, options);
    }

    /** The SDK's idMatch; facekit answers it as the API's {@code v3/person/idmatch}. */
    public JSONObject idMatch(String idCardNumber, String name, HashMap<String, Object> options) {
        return sdkCall("idMatch", new Object[] {idCardNumber, name}, options);
    }

    /** The SDK's faceMergeV1; facekit answers it as the API's {@code v1/merge}. */
    public JSONObject faceMergeV1(String imageTemplate, String imageTarget, HashMap<String, String> options) {
        return sdkCall("faceMergeV1", new Object[] {imageTemplate, imageTarget}, options);
    }

    /** The SDK's faceSkinSmoothV1; facekit answers it as the API's {@code v1/editattr}. */
    public JSONObject faceSkinSmoothV1(String image, String imageType, String actionType, HashMap<String, String> options) {
        return sdkCall("faceSkinSmoothV1", new Object[] {image, imageType, actionType}, options);
    }

    /** The SDK's faceLandmarkV1; facekit answers it as the API's {@code v1/landmark}. */
    public JSONObject faceLandmarkV1(String image, String imageType, HashMap<String, String> options) {
        return sdkCall("faceLandmarkV1", new Object[] {image, imageType}, options);
    }

    /** The SDK's faceSceneFacesetUserAdd; facekit answers it as the API's {@code scene/faceset/user/add}. */
    public JSONObject faceSceneFacesetUserAdd(String image, String imageType, String groupId, String userId, String sceneType, HashMap<String, String> options) {
        return sdkCall("faceSceneFacesetUserAdd", new Object[] {image, imageType, groupId, userId, sceneType}, options);
    }

    /** The SDK's faceSceneFacesetUserUpdate; facekit answers it as the API's {@code scene/faceset/user/update}. */
    public JSONObject faceSceneFacesetUserUpdate(String image, String imageType, String groupId, String userId, String sceneType, HashMap<String, String> options) {
        return sdkCall("faceSceneFacesetUserUpdate", new Object[] {image, imageType, groupId, userId, sceneType}, options);
    }

    /** The SDK's faceSceneFacesetGroupAdd; facekit answers it as the API's {@code scene/faceset/group/add}. */
    public JSONObject faceSceneFacesetGroupAdd(String groupId, String sceneType, HashMap<String, String> options) {
        return sdkCall("faceSceneFacesetGroupAdd", new Object[] {groupId, sceneType}, options);
    }

    /** The SDK's faceCaptureSearch; facekit answers it as the API's {@code capture/search}. */
    public JSONObject faceCaptureSearch(String image, String imageType, String groupIdList, HashMap<String, String> options) {
        return sdkCall("faceCaptureSearch", new Object[] {image, imageType, groupIdList}, options);
    }

    /** The SDK's faceIdmatchDateV4; facekit answers it as the API's {@code v4/idmatch_date}. */
    public JSONObject faceIdmatchDateV4(String name, String idCardNumber, String startDate, String endDate, HashMap<String, String> options) {
        return sdkCall("faceIdmatchDateV4", new Object[] {name, idCardNumber, startDate, endDate}, options);
    }

    /** The SDK's faceVerifyDateV4; facekit answers it as the API's {@code v4/verify_date}. */
    public JSONObject faceVerifyDateV4(String name, String idCardNumber, String startDate, String endDate, String image, String imageType, HashMap<String, String> options) {
        return sdkCall("faceVerifyDateV4", new Object[] {name, idCardNumber, startDate, endDate, image, imageType}, options);
    }
    // END GENERATED METHODS
}
