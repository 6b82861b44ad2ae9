using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Baidu.Aip.Face
{
    /// <summary>
    /// The face client of Baidu's C# SDK (NuGet <c>Baidu.AI</c>), answered on this machine by facekit: same
    /// namespace, class, method names, parameters and <see cref="JObject"/> results, errors included
    /// (<c>{"error_code": 222202, "error_msg": "pic not has face", ...}</c>). The methods are in
    /// Face.Methods.g.cs, generated from the table every facekit binding shares (bindings/sdk/methods.json).
    /// </summary>
    /// <remarks>
    /// Clients opened with the same configuration share one engine and one face library, as a cloud app's
    /// clients share its library; any number of threads may call one client at once. Disposing a client is
    /// optional; the engine closes when the last client of its configuration is disposed.
    /// </remarks>
    public partial class Face : IDisposable
    {
        private EngineHandle engine;

        /// <summary>The SDK's constructor. The credentials are kept and ignored (nothing leaves the machine);
        /// the engine finds its models and ONNX Runtime by itself (FACEKIT_MODELS, ORT_DYLIB_PATH, ...).</summary>
        public Face(string apiKey, string secretKey) : this(apiKey, secretKey, null)
        {
        }

        /// <summary>A client whose engine is configured here; a null (or absent) setting is the default.</summary>
        /// <param name="apiKey">Ignored.</param>
        /// <param name="secretKey">Ignored.</param>
        /// <param name="modelDir">Directory of the ONNX models (default: FACEKIT_MODELS, then models/ near the executable).</param>
        /// <param name="ortLibrary">Path of the ONNX Runtime library (default: ORT_DYLIB_PATH, then FACEKIT_ORT_DIR).</param>
        /// <param name="facesetDb">SQLite file of the face library (default: in memory, while the engine is open).</param>
        /// <param name="threads">Threads per model run (default: cores, at most 4).</param>
        /// <exception cref="AipException">The engine cannot open: a model or the runtime is missing.</exception>
        public Face(string apiKey, string secretKey, string modelDir, string ortLibrary = null,
            string facesetDb = null, int? threads = null)
        {
            ApiKey = apiKey;
            SecretKey = secretKey;
            Timeout = 60000;
            var config = new JObject();
            if (modelDir != null)
                config["model_dir"] = modelDir;
            if (ortLibrary != null)
                config["ort_library"] = ortLibrary;
            if (facesetDb != null)
                config["faceset_db"] = facesetDb;
            if (threads.HasValue)
                config["threads"] = threads.Value;
            engine = Native.OpenShared(config.ToString(Formatting.None));
        }

        /// <summary>Accepted for compatibility (milliseconds); there is no network.</summary>
        public int Timeout { get; set; }

        /// <summary>Accepted for compatibility.</summary>
        public string AppId { get; set; }

        /// <summary>Accepted for compatibility; never used.</summary>
        public string ApiKey { get; set; }

        /// <summary>Accepted for compatibility; never used.</summary>
        public string SecretKey { get; set; }

        /// <summary>Accepted for compatibility; facekit logs nothing.</summary>
        public bool DebugLog { get; set; }

        /// <summary>The version of the native facekit library, e.g. <c>0.1.0</c>.</summary>
        public static string FacekitVersion
        {
            get { return Native.ReadUtf8(Native.fk_version()); }
        }

        /// <summary>The SDK's feedback report (<c>AipServiceBase.Report</c>): an online-only service, so the
        /// answer is the error saying so.</summary>
        public JObject Report(IEnumerable<Dictionary<string, object>> data)
        {
            var request = JsonConvert.SerializeObject(new Dictionary<string, object> { { "feedback", data } });
            IntPtr response;
            Native.fk_call(Engine(), Native.Utf8("/rpc/2.0/feedback/v1/report"), Native.Utf8(request), out response);
            return Parse(Native.TakeString(response));
        }

        /// <summary>Releases this client's hold on its engine; later calls throw <see cref="ObjectDisposedException"/>.</summary>
        public void Dispose()
        {
            var open = Interlocked.Exchange(ref engine, null);
            if (open != null)
                // Calls still running hold the handle; it closes after the last one returns.
                open.Dispose();
        }

        /// <summary>Runs SDK method <paramref name="method"/> with its positional arguments and options, as the
        /// C# SDK builds the request (an option replaces an argument of the same key).</summary>
        private JObject SdkCall(string method, object[] args, Dictionary<string, object> options)
        {
            var optionsJson = options == null ? null : JsonConvert.SerializeObject(options);
            IntPtr response;
            Native.fk_sdk_call(Engine(), Native.Utf8("csharp"), Native.Utf8(method),
                Native.Utf8(JsonConvert.SerializeObject(args)), Native.Utf8(optionsJson), out response);
            return Parse(Native.TakeString(response));
        }

        private EngineHandle Engine()
        {
            var open = engine;
            if (open == null)
                throw new ObjectDisposedException(GetType().FullName);
            return open;
        }

        private static JObject Parse(string json)
        {
            // Strings stay strings: Newtonsoft would otherwise turn date-like text (a user_info) into DateTime.
            using (var reader = new JsonTextReader(new StringReader(json)) { DateParseHandling = DateParseHandling.None })
                return JObject.Load(reader);
        }
    }
}
