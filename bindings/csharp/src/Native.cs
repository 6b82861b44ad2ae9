// P/Invoke declarations of libfacekit's C ABI (include/facekit.h) and the engine handle.
using System;
using System.Runtime.InteropServices;
using System.Text;

namespace Baidu.Aip.Face
{
    /// <summary>An open facekit engine (<c>FkEngine*</c>), closed by <c>fk_engine_close</c> once no call holds it.</summary>
    internal sealed class EngineHandle : SafeHandle
    {
        private EngineHandle() : base(IntPtr.Zero, true)
        {
        }

        public override bool IsInvalid
        {
            get { return handle == IntPtr.Zero; }
        }

        protected override bool ReleaseHandle()
        {
            Native.fk_engine_close(handle);
            return true;
        }
    }

    /// <summary>
    /// The C functions. Strings cross as NUL-terminated UTF-8 byte arrays both ways, marshalled here by hand:
    /// Mono's default string marshalling is not UTF-8 on every platform.
    /// </summary>
    internal static class Native
    {
        // libfacekit.so on Linux, facekit.dll on Windows, libfacekit.dylib on macOS.
        private const string Library = "facekit";

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern EngineHandle fk_engine_open_shared(byte[] configJson, ref IntPtr error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void fk_engine_close(IntPtr engine);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int fk_call(EngineHandle engine, byte[] method, byte[] requestJson, out IntPtr response);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int fk_sdk_call(EngineHandle engine, byte[] sdk, byte[] method, byte[] argsJson,
            byte[] optionsJson, out IntPtr response);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void fk_string_free(IntPtr s);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr fk_error_message(IntPtr error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern int fk_error_code(IntPtr error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern void fk_error_free(IntPtr error);

        [DllImport(Library, CallingConvention = CallingConvention.Cdecl)]
        internal static extern IntPtr fk_version();

        /// <summary><paramref name="s"/> as NUL-terminated UTF-8; null stays null (a NULL pointer).</summary>
        internal static byte[] Utf8(string s)
        {
            if (s == null)
                return null;
            var bytes = new byte[Encoding.UTF8.GetByteCount(s) + 1];
            Encoding.UTF8.GetBytes(s, 0, s.Length, bytes, 0);
            return bytes;
        }

        /// <summary>The NUL-terminated UTF-8 string at <paramref name="p"/>, which stays owned by the library.</summary>
        internal static string ReadUtf8(IntPtr p)
        {
            if (p == IntPtr.Zero)
                return null;
            var length = 0;
            while (Marshal.ReadByte(p, length) != 0)
                length++;
            var bytes = new byte[length];
            Marshal.Copy(p, bytes, 0, length);
            return Encoding.UTF8.GetString(bytes);
        }

        /// <summary>A string the library handed over (<c>fk_call</c>, <c>fk_sdk_call</c>), read and freed.</summary>
        internal static string TakeString(IntPtr p)
        {
            try
            {
                return ReadUtf8(p);
            }
            finally
            {
                fk_string_free(p);
            }
        }

        /// <summary>A handle on the process's engine for <paramref name="configJson"/> (one engine per
        /// configuration, shared by every client of it, as the Python and Node bindings share theirs), or
        /// throws the library's error. The engine closes with its last handle.</summary>
        internal static EngineHandle OpenShared(string configJson)
        {
            var error = IntPtr.Zero;
            var engine = fk_engine_open_shared(Utf8(configJson), ref error);
            if (!engine.IsInvalid)
                return engine;
            engine.Dispose();
            try
            {
                throw new AipException(fk_error_code(error), ReadUtf8(fk_error_message(error)));
            }
            finally
            {
                fk_error_free(error);
            }
        }
    }
}
