using System;

namespace Baidu.Aip
{
    /// <summary>
    /// The cloud SDK's exception, kept so that code catching it still compiles: there it means a network
    /// failure; here the engine could not open (a missing model or ONNX Runtime library: the message says
    /// which file). API errors are never thrown: they come back as the response's <c>error_code</c>.
    /// </summary>
    [Serializable]
    public class AipException : Exception
    {
        public AipException(int code, string message) : base(message)
        {
            Code = code;
        }

        /// <summary>The Baidu error code (222302 for a missing model, 222200 for a bad configuration).</summary>
        public int Code { get; set; }
    }
}
