// Tests of Baidu.Aip.Face.Face on the real models and test photos. Usage: mono FaceTests.exe REPO_ROOT
// (libfacekit on the library path; FACEKIT_MODELS and ORT_DYLIB_PATH set, as scripts/test-csharp.sh does).
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using Baidu.Aip;
using Baidu.Aip.Face;
using Newtonsoft.Json.Linq;

namespace Facekit.Tests
{
    internal static class FaceTests
    {
        private static string repo;
        private static Face client;

        private static int Main(string[] args)
        {
            repo = Path.GetFullPath(args[0]);
            client = new Face("API_KEY", "SECRET_KEY");
            var runner = new Runner();
            new Cases(repo, client).AddTo(runner);
            runner.Run("Match scores the same person at least 80 and different people below 60", MatchScores);
            runner.Run("Faceverify answers its liveness, or names the model pack it needs", FaceverifyAnswers);
            runner.Run("null arguments, null options and bad strings give Baidu error JSON", NullArguments);
            runner.Run("an option replaces the argument of the same key, as the C# SDK sends it", OptionsOverrideArguments);
            runner.Run("a non-ASCII user_info round-trips", NonAsciiRoundTrips);
            runner.Run("clients of one configuration share one face library", ClientsShareALibrary);
            runner.Run("a disposed client throws ObjectDisposedException", DisposedClientThrows);
            runner.Run("4 threads share one client", FourThreadsShareOneClient);
            runner.Run("the class has every method of the table with its parameter types", EveryTableMethod);
            runner.Run("the SDK's properties are accepted", Properties);
            runner.Run("Report (online-only feedback) answers an error, not an exception", ReportAnswersAnError);
            runner.Run("an engine that cannot open throws AipException naming the file", MissingModelsThrow);
            runner.Run("the native library reports its version", Version);
            var exit = runner.Finish();
            client.Dispose();
            return exit;
        }

        private static string Base64(string file)
        {
            return Convert.ToBase64String(File.ReadAllBytes(Path.Combine(repo, "testdata", file)));
        }

        private static JObject Image(string file)
        {
            return new JObject { { "image", Base64(file) }, { "image_type", "BASE64" } };
        }

        private static string Unique(string prefix)
        {
            return prefix + "_" + Guid.NewGuid().ToString("N");
        }

        private static void Succeeds(JObject response, string what)
        {
            Check.Equal(0, (int)response["error_code"], what + ": error_code (" + response["error_msg"] + ")");
        }

        private static void MatchScores()
        {
            var same = client.Match(new JArray(Image("obama.jpg"), Image("obama2.jpg")));
            Succeeds(same, "obama/obama2");
            Check.That((double)same["result"]["score"] >= 80, "obama/obama2 scores " + same["result"]["score"]);
            var other = client.Match(new JArray(Image("obama.jpg"), Image("biden.jpg")));
            Succeeds(other, "obama/biden");
            Check.That((double)other["result"]["score"] < 60, "obama/biden scores " + other["result"]["score"]);
            foreach (var key in new[] { "error_msg", "log_id", "timestamp", "cached" })
                Check.That(same[key] != null, "the envelope has " + key);
        }

        private static void FaceverifyAnswers()
        {
            var response = client.Faceverify(new JArray(Image("obama.jpg")));
            // Liveness needs the optional model pack, which this build does not ship: without it the answer names it.
            if ((int)response["error_code"] == 222302)
                Check.That(((string)response["error_msg"]).Contains("fr_liveness.onnx"), "names the pack: " + response);
            else
                Check.That((double)response["result"]["face_liveness"] >= 0, "Faceverify: " + response);
        }

        private static void NullArguments()
        {
            Succeeds(client.Detect(Base64("obama.jpg"), "BASE64", null), "Detect with null options");
            Succeeds(client.Detect(Base64("obama.jpg"), "BASE64", new Dictionary<string, object> { { "max_face_num", null } }),
                "a null option value is the default");
            var responses = new Dictionary<string, JObject>
            {
                { "Detect(null, null)", client.Detect(null, null) },
                { "Detect(image, null)", client.Detect(Base64("obama.jpg"), null) },
                { "Detect(\"\", BASE64)", client.Detect("", "BASE64") },
                { "Detect(not base64)", client.Detect("%%% not base64 %%%", "BASE64") },
                { "Match(null)", client.Match(null) },
                { "Match(empty)", client.Match(new JArray()) },
                { "Search(.., null group)", client.Search(Base64("obama.jpg"), "BASE64", null) },
                { "UserAdd(null ...)", client.UserAdd(null, null, null, null, null) },
                { "UserGet(null, null)", client.UserGet(null, null) },
                { "GroupAdd(bad id)", client.GroupAdd("no spaces allowed") },
                { "GroupAdd(NUL inside)", client.GroupAdd("g\0rest") },
                { "GroupAdd(lone surrogate)", client.GroupAdd("g\ud800") },
                { "Detect(NUL inside)", client.Detect("/9j/\0AAAA", "BASE64") },
            };
            foreach (var pair in responses)
            {
                var code = (int)pair.Value["error_code"];
                Check.That(code != 0, pair.Key + " should fail, answered " + pair.Value);
                Check.That(pair.Value["error_msg"].Type == JTokenType.String, pair.Key + ": error_msg");
                Check.That(pair.Value["log_id"] != null, pair.Key + ": log_id");
            }
            Check.Equal(222001, (int)responses["Detect(image, null)"]["error_code"], "a null image_type is param missing");
        }

        private static void OptionsOverrideArguments()
        {
            var response = client.Detect(Base64("obama.jpg"), "URL",
                new Dictionary<string, object> { { "image_type", "BASE64" }, { "max_face_num", 2 } });
            Succeeds(response, "Detect with image_type replaced by the option");
            Check.Equal(1, (int)response["result"]["face_num"], "face_num");
        }

        private static void NonAsciiRoundTrips()
        {
            var group = Unique("cs_utf8");
            const string info = "张三 (Zhāng Sān) 🙂";
            Succeeds(client.UserAdd(Base64("obama.jpg"), "BASE64", group, "zhangsan",
                new Dictionary<string, object> { { "user_info", info } }), "UserAdd");
            var user = client.UserGet("zhangsan", group);
            Succeeds(user, "UserGet");
            Check.Equal(info, (string)user["result"]["user_list"][0]["user_info"], "user_info");
            var found = client.Search(Base64("obama2.jpg"), "BASE64", group);
            Succeeds(found, "Search");
            Check.Equal(info, (string)found["result"]["user_list"][0]["user_info"], "user_info in search");
            Succeeds(client.GroupDelete(group), "GroupDelete");
        }

        private static void ClientsShareALibrary()
        {
            var group = Unique("cs_shared");
            Succeeds(client.GroupAdd(group), "GroupAdd");
            using (var second = new Face("other", "keys"))
            {
                var users = second.GroupGetusers(group);
                Succeeds(users, "GroupGetusers from a second client");
            }
            Succeeds(client.GroupGetusers(group), "the first client still works after the second is disposed");
            Succeeds(client.GroupDelete(group), "GroupDelete");
        }

        private static void DisposedClientThrows()
        {
            var disposable = new Face("API_KEY", "SECRET_KEY");
            Succeeds(disposable.GroupGetlist(), "GroupGetlist before Dispose");
            disposable.Dispose();
            disposable.Dispose();
            Check.Throws<ObjectDisposedException>(() => disposable.GroupGetlist(), "GroupGetlist after Dispose");
            Check.Throws<ObjectDisposedException>(() => disposable.Detect(Base64("obama.jpg"), "BASE64"), "Detect after Dispose");
            Check.Throws<ObjectDisposedException>(() => disposable.Match(null), "Match after Dispose");
            Check.Throws<ObjectDisposedException>(() => disposable.Report(null), "Report after Dispose");
            Succeeds(client.GroupGetlist(), "another client of the same engine still works");
        }

        private static void FourThreadsShareOneClient()
        {
            var pair = new JArray(Image("obama.jpg"), Image("obama2.jpg"));
            var scores = new double[4][];
            var errors = new List<string>();
            var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
            {
                try
                {
                    scores[t] = Enumerable.Range(0, 3).Select(_ =>
                    {
                        var r = client.Match(pair);
                        return (int)r["error_code"] == 0 ? (double)r["result"]["score"] : -1;
                    }).ToArray();
                }
                catch (Exception e)
                {
                    lock (errors)
                        errors.Add(e.ToString());
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            Check.That(errors.Count == 0, string.Join("\n", errors));
            var all = scores.SelectMany(s => s).ToList();
            Check.That(all.All(s => s >= 80), "every concurrent match scores >= 80: " + string.Join(", ", all));
            Check.That(all.Distinct().Count() == 1, "every concurrent match gives the same score: " + string.Join(", ", all));
        }

        /// <summary>An independent reading of methods.json: C# names, camelCase parameters (images is the SDK's
        /// JArray faces), a trailing options Dictionary unless the method takes none.</summary>
        private static void EveryTableMethod()
        {
            var table = Json.Load(Path.Combine(repo, "bindings/sdk/methods.json"))["methods"];
            var expected = new List<string>();
            foreach (var m in table.Where(m => m["csharp"].Type != JTokenType.Null))
            {
                var arrayBody = (string)m["body"] == "array";
                var options = m["options"] != null ? (bool)m["options"] : !arrayBody;
                var parameters = m["args"].Select(a => (string)a == "images" ? "JArray faces" : "String " + CamelCase((string)a)).ToList();
                if (options)
                    parameters.Add("Dictionary`2 options = null");
                expected.Add((string)m["csharp"] + "(" + string.Join(", ", parameters) + ")");
            }
            var actual = typeof(Face).GetMethods()
                .Where(m => m.ReturnType == typeof(JObject) && m.DeclaringType == typeof(Face) && m.Name != "Report")
                .Select(m => m.Name + "(" + string.Join(", ", m.GetParameters().Select(p =>
                    p.ParameterType.Name + " " + p.Name + (p.IsOptional ? " = " + (p.DefaultValue ?? "null") : ""))) + ")")
                .ToList();
            var missing = expected.Except(actual).ToList();
            var extra = actual.Except(expected).ToList();
            Check.That(missing.Count == 0 && extra.Count == 0,
                "missing: " + string.Join("; ", missing) + " | not in the table: " + string.Join("; ", extra));
            Check.That(expected.Count >= 28, "the table has the SDK's methods: " + expected.Count);
            Check.That(expected.Contains("Match(JArray faces)") && expected.Contains("GroupGetlist(Dictionary`2 options = null)"),
                "Match and GroupGetlist as in the SDK");
            var optionsType = typeof(Face).GetMethod("Detect").GetParameters().Last().ParameterType;
            Check.Equal(typeof(Dictionary<string, object>), optionsType, "the options type");
        }

        private static string CamelCase(string key)
        {
            var parts = key.Split('_');
            return parts[0] + string.Concat(parts.Skip(1).Select(p => char.ToUpperInvariant(p[0]) + p.Substring(1)));
        }

        private static void Properties()
        {
            var configured = new Face("API_KEY", "SECRET_KEY") { Timeout = 5000, AppId = "1", DebugLog = true };
            Check.Equal("API_KEY", configured.ApiKey, "ApiKey");
            Check.Equal("SECRET_KEY", configured.SecretKey, "SecretKey");
            Check.Equal(5000, configured.Timeout, "Timeout");
            Succeeds(configured.Detect(Base64("obama.jpg"), "BASE64"), "Detect on a configured client");
            configured.Dispose();
        }

        private static void ReportAnswersAnError()
        {
            var feedback = new[] { new Dictionary<string, object> { { "api_url", "x" }, { "level", 1 } } };
            var response = client.Report(feedback);
            Check.That((int)response["error_code"] != 0, "Report answers an error: " + response);
            Check.That(response["error_msg"].Type == JTokenType.String, "error_msg");
        }

        private static void MissingModelsThrow()
        {
            var missing = Path.Combine(Path.GetTempPath(), Unique("no_models"));
            var e = Check.Throws<AipException>(() => new Face("k", "s", missing), "a missing model directory");
            Check.Equal(222302, e.Code, "the code of a missing model");
            Check.That(e.Message.Contains(missing), "the message names the directory: " + e.Message);
            var bad = Check.Throws<AipException>(() => new Face("k", "s", null, null, null, -1), "threads = -1");
            Check.That(bad.Code != 0, "a bad configuration has a code: " + bad.Message);
        }

        private static void Version()
        {
            var version = Face.FacekitVersion;
            Check.That(!string.IsNullOrEmpty(version) && char.IsDigit(version[0]), "version " + version);
        }
    }
}
