package io.facekit;

import com.baidu.aip.face.AipFace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * What the suites share: the repo (system property {@code facekit.repo}, set by scripts/test-java.sh), its
 * test photos, and one client on the default engine (models and ONNX Runtime from {@code FACEKIT_MODELS}
 * and {@code ORT_DYLIB_PATH}, as the cloud SDK's constructor has no config).
 */
final class Fixtures {
    static final Path REPO = Paths.get(System.getProperty("facekit.repo", "../.."));
    static final Path TESTDATA = REPO.resolve("testdata");

    private static AipFace client;

    static synchronized AipFace client() {
        if (client == null) {
            client = new AipFace("app-id", "api-key", "secret-key");
        }
        return client;
    }

    /** The engine config the facekit constructor takes, naming the models and runtime explicitly. */
    static Map<String, Object> explicitConfig() {
        Map<String, Object> config = new HashMap<String, Object>();
        config.put("model_dir", REPO.resolve("models").toAbsolutePath().toString());
        config.put("ort_library", System.getenv("ORT_DYLIB_PATH"));
        config.put("threads", 2);
        return config;
    }

    static String b64(String name) {
        try {
            return Base64.getEncoder().encodeToString(Files.readAllBytes(TESTDATA.resolve(name)));
        } catch (IOException e) {
            throw new IllegalStateException("test photo " + name, e);
        }
    }

    static String read(Path path) {
        try {
            return new String(Files.readAllBytes(path), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(path.toString(), e);
        }
    }

    private Fixtures() {}
}
