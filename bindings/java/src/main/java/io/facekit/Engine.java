package io.facekit;

import java.io.Closeable;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One facekit engine in this process, as JSON in and JSON out: the native half ({@code libfacekit_jni}) of
 * {@link com.baidu.aip.face.AipFace}, usable directly for the raw API ({@link #call}).
 *
 * <p>Engines opened with the same config share one native engine (models and face library). Every method may
 * be called from any number of threads at once; {@link #close} waits for the calls under way, and a call
 * after it answers the Baidu error JSON {@code 222001 param[client] is null}.
 */
public final class Engine implements Closeable {
    static {
        loadLibrary();
    }

    // Calls hold the read lock, close the write lock: the native engine is never freed under a call.
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private long handle;

    /**
     * Opens the engine of {@code configJson}: {@code null}, {@code ""} or a JSON object with any of
     * {@code model_dir}, {@code ort_library}, {@code faceset_db}, {@code threads}, {@code flip_embedding}
     * (see {@code EngineConfig::from_json}; defaults: {@code FACEKIT_MODELS}, {@code ORT_DYLIB_PATH}, a face
     * library in memory).
     *
     * @throws IllegalArgumentException when the config is malformed or a model or ONNX Runtime cannot be
     *     loaded (the message holds the Baidu code and what failed)
     */
    public Engine(String configJson) {
        handle = nativeOpen(configJson);
    }

    /**
     * Calls an API method as the cloud names it ({@code "detect"}, {@code "faceset/user/add"},
     * {@code "/rest/2.0/face/v3/match"}) on its JSON request; returns the cloud's JSON response.
     */
    public String call(String method, String requestJson) {
        lock.readLock().lock();
        try {
            return nativeCall(handle, method, requestJson);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Calls a method as the Java SDK names it, on its positional arguments (a JSON array) and options (a JSON
     * object, or {@code null}); returns the cloud's JSON response.
     */
    public String sdkCall(String name, String argsJson, String optionsJson) {
        lock.readLock().lock();
        try {
            return nativeSdkCall(handle, name, argsJson, optionsJson);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The methods of the Java SDK's AipFace as facekit's table lists them (JSON: name, params, options). */
    public static String sdkMethods() {
        return nativeSdkMethods();
    }

    /** Releases this client's hold on the native engine; closing twice does nothing. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            nativeClose(handle);
            handle = 0;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /**
     * The {@code facekit.jni.lib} system property or the {@code FACEKIT_JNI_LIB} environment variable (an
     * absolute path) when set, otherwise {@code facekit_jni} from the library path (on Android, the APK's
     * {@code jniLibs/<abi>/libfacekit_jni.so}).
     */
    private static void loadLibrary() {
        String path = System.getProperty("facekit.jni.lib");
        if (path == null || path.isEmpty()) {
            path = System.getenv("FACEKIT_JNI_LIB");
        }
        if (path != null && !path.isEmpty()) {
            System.load(path);
        } else {
            System.loadLibrary("facekit_jni");
        }
    }

    private static native long nativeOpen(String configJson);

    private static native void nativeClose(long handle);

    private static native String nativeCall(long handle, String method, String requestJson);

    private static native String nativeSdkCall(
            long handle, String name, String argsJson, String optionsJson);

    private static native String nativeSdkMethods();
}
