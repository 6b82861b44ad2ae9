// The shared SDK cases (bindings/cases/*.json, format in bindings/cases/README.md) through Baidu.Aip.Face.Face:
// each case's Python method name becomes the C# one through bindings/sdk/methods.json, and the generated
// method is called by reflection with the case's arguments converted to its parameter types.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using Baidu.Aip.Face;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Facekit.Tests
{
    internal sealed class Cases
    {
        // Error 3: the method is not in this build; the case is skipped (and says so), never passed.
        private const int Unsupported = 3;

        private readonly string repo;
        private readonly Face client;
        private readonly Dictionary<string, string> csharpNames = new Dictionary<string, string>();
        private int runs;

        public Cases(string repo, Face client)
        {
            this.repo = repo;
            this.client = client;
            foreach (var method in Json.Load(Path.Combine(repo, "bindings/sdk/methods.json"))["methods"])
            {
                if (method["python"].Type != JTokenType.Null && method["csharp"].Type != JTokenType.Null)
                    csharpNames[(string)method["python"]] = (string)method["csharp"];
            }
        }

        public void AddTo(Runner runner)
        {
            var files = Directory.GetFiles(Path.Combine(repo, "bindings/cases"), "*.json").OrderBy(f => f, StringComparer.Ordinal);
            foreach (var file in files)
            {
                foreach (var testCase in Json.Load(file)["cases"])
                {
                    var name = "cases/" + Path.GetFileNameWithoutExtension(file) + "::" + (string)testCase["name"];
                    runner.Run(name, () => RunCase(testCase));
                }
            }
        }

        private void RunCase(JToken testCase)
        {
            var run = "cs" + System.Diagnostics.Process.GetCurrentProcess().Id + "_" + runs++;
            var saved = new Dictionary<string, JToken>();
            var i = 0;
            foreach (var step in testCase["steps"])
            {
                var python = (string)step["call"];
                string csharp;
                Check.That(csharpNames.TryGetValue(python, out csharp), "methods.json has no C# name for " + python);
                var response = Call(csharp, Resolve(step["args"], saved, run) as JArray ?? new JArray(),
                    Resolve(step["options"], saved, run) as JObject);
                var expect = (JObject)Resolve(step["expect"], saved, run) ?? new JObject();
                if ((int)response["error_code"] == Unsupported && !JToken.DeepEquals(expect["error_code"], new JValue(Unsupported)))
                    throw new SkipException(csharp + " answers 3 Unsupported openapi method");
                foreach (var pair in expect)
                {
                    var why = Mismatch(Lookup(response, pair.Key), pair.Value);
                    if (why != null)
                        throw new AssertionException("step " + i + " " + csharp + ": " + pair.Key + " " + why +
                                                     "\n  response: " + response.ToString(Formatting.None));
                }
                var save = step["save"] as JObject;
                if (save != null)
                {
                    foreach (var pair in save)
                        saved[pair.Key] = Lookup(response, (string)pair.Value);
                }
                i++;
            }
        }

        /// <summary>Calls the generated method <paramref name="name"/>: each argument as its parameter's type,
        /// the options as the trailing Dictionary.</summary>
        private JObject Call(string name, JArray args, JObject options)
        {
            var method = typeof(Face).GetMethod(name);
            Check.That(method != null, "Face has no method " + name);
            var parameters = method.GetParameters();
            var values = new object[parameters.Length];
            for (var p = 0; p < parameters.Length; p++)
            {
                var type = parameters[p].ParameterType;
                if (type == typeof(Dictionary<string, object>))
                    values[p] = options == null ? null : options.ToObject<Dictionary<string, object>>();
                else if (p < args.Count)
                    values[p] = type == typeof(JArray) ? args[p] : args[p].ToObject(type);
            }
            Check.That(args.Count <= parameters.Count(x => x.ParameterType != typeof(Dictionary<string, object>)),
                name + " takes fewer arguments than the case gives");
            try
            {
                return (JObject)method.Invoke(client, values);
            }
            catch (TargetInvocationException e)
            {
                throw e.InnerException;
            }
        }

        /// <summary>Replaces {"$base64": file}, {"$file_url": file}, {"$var": name} and ${run} inside strings.</summary>
        private JToken Resolve(JToken v, Dictionary<string, JToken> saved, string run)
        {
            if (v == null)
                return null;
            switch (v.Type)
            {
                case JTokenType.String:
                    return new JValue(((string)v).Replace("${run}", run));
                case JTokenType.Array:
                    return new JArray(v.Select(item => Resolve(item, saved, run)));
                case JTokenType.Object:
                    var o = (JObject)v;
                    if (o["$base64"] != null)
                        return new JValue(Convert.ToBase64String(File.ReadAllBytes(TestData((string)o["$base64"]))));
                    if (o["$file_url"] != null)
                        return new JValue("file://" + Path.GetFullPath(TestData((string)o["$file_url"])));
                    if (o["$var"] != null)
                        return saved[(string)o["$var"]];
                    var copy = new JObject();
                    foreach (var pair in o)
                        copy[pair.Key] = Resolve(pair.Value, saved, run);
                    return copy;
                default:
                    return v;
            }
        }

        private string TestData(string file)
        {
            return Path.Combine(repo, "testdata", file);
        }

        /// <summary>The value at a dotted path (result.face_list.0.face_token); null when absent.</summary>
        private static JToken Lookup(JToken v, string path)
        {
            foreach (var key in path.Split('.'))
            {
                int index;
                if (v is JArray && int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out index))
                    v = index < ((JArray)v).Count ? v[index] : null;
                else if (v is JObject)
                    v = v[key];
                else
                    return null;
                if (v == null)
                    return null;
            }
            return v.Type == JTokenType.Null ? null : v;
        }

        private static string TypeName(JToken v)
        {
            if (v == null)
                return "null";
            switch (v.Type)
            {
                case JTokenType.Integer: return "integer";
                case JTokenType.Float: return "number";
                case JTokenType.String: return "string";
                case JTokenType.Boolean: return "boolean";
                case JTokenType.Array: return "array";
                case JTokenType.Object: return "object";
                default: return v.Type.ToString().ToLowerInvariant();
            }
        }

        private static bool IsNumber(JToken v)
        {
            return v != null && (v.Type == JTokenType.Integer || v.Type == JTokenType.Float);
        }

        private static int CodePoints(string s)
        {
            return s.Count(c => !char.IsLowSurrogate(c));
        }

        /// <summary>Null when <paramref name="actual"/> meets <paramref name="expected"/>, else what differs.</summary>
        private static string Mismatch(JToken actual, JToken expected)
        {
            var shown = actual == null ? "null" : actual.ToString(Formatting.None);
            var ops = expected as JObject;
            if (ops == null)
            {
                var same = IsNumber(actual) && IsNumber(expected)
                    ? (double)actual == (double)expected
                    : JToken.DeepEquals(actual ?? JValue.CreateNull(), expected);
                return same ? null : "is " + shown + ", expected " + expected.ToString(Formatting.None);
            }
            foreach (var op in ops)
            {
                var arg = op.Value;
                bool ok;
                switch (op.Key)
                {
                    case "equals":
                        ok = JToken.DeepEquals(actual ?? JValue.CreateNull(), arg);
                        break;
                    case "min":
                        ok = IsNumber(actual) && (double)actual >= (double)arg;
                        break;
                    case "max":
                        ok = IsNumber(actual) && (double)actual <= (double)arg;
                        break;
                    case "len":
                        ok = actual is JArray ? ((JArray)actual).Count == (int)arg
                            : actual != null && actual.Type == JTokenType.String && CodePoints((string)actual) == (int)arg;
                        break;
                    case "type":
                        ok = TypeName(actual) == (string)arg || ((string)arg == "number" && TypeName(actual) == "integer");
                        break;
                    case "contains":
                        ok = actual is JArray && actual.Any(item => JToken.DeepEquals(item, arg));
                        break;
                    case "absent":
                        ok = (actual == null) == (bool)arg;
                        break;
                    default:
                        return "unknown matcher " + op.Key;
                }
                if (!ok)
                    return "is " + shown + ", expected " + op.Key + " " + arg.ToString(Formatting.None);
            }
            return null;
        }
    }

    internal static class Json
    {
        /// <summary>A JSON file, strings kept as strings (no date parsing).</summary>
        public static JToken Load(string path)
        {
            using (var reader = new JsonTextReader(new StringReader(File.ReadAllText(path))) { DateParseHandling = DateParseHandling.None })
                return JToken.Load(reader);
        }
    }
}
