// A small test runner (NUnit is not packaged in a current version): each test is a method, each result a
// line, then "N passed, N failed, N skipped"; the exit code is 1 when any test failed.
using System;
using System.Collections.Generic;

namespace Facekit.Tests
{
    internal sealed class SkipException : Exception
    {
        public SkipException(string why) : base(why)
        {
        }
    }

    internal sealed class AssertionException : Exception
    {
        public AssertionException(string what) : base(what)
        {
        }
    }

    internal static class Check
    {
        public static void That(bool condition, string what)
        {
            if (!condition)
                throw new AssertionException(what);
        }

        public static void Equal<T>(T expected, T actual, string what)
        {
            if (!EqualityComparer<T>.Default.Equals(expected, actual))
                throw new AssertionException(what + ": expected " + expected + ", got " + actual);
        }

        public static T Throws<T>(Action action, string what) where T : Exception
        {
            try
            {
                action();
            }
            catch (T e)
            {
                return e;
            }
            catch (Exception e)
            {
                throw new AssertionException(what + ": threw " + e.GetType().Name + " (" + e.Message + "), not " + typeof(T).Name);
            }
            throw new AssertionException(what + ": did not throw " + typeof(T).Name);
        }
    }

    internal sealed class Runner
    {
        private int passed, failed, skipped;

        public void Run(string name, Action test)
        {
            try
            {
                test();
                passed++;
                Console.WriteLine("PASS " + name);
            }
            catch (SkipException e)
            {
                skipped++;
                Console.WriteLine("SKIPPED " + name + ": " + e.Message);
            }
            catch (Exception e)
            {
                failed++;
                var error = e is AssertionException ? e.Message : e.ToString();
                Console.WriteLine("FAIL " + name + ": " + error);
            }
        }

        public int Finish()
        {
            var summary = passed + " passed, " + failed + " failed";
            if (skipped > 0)
                summary += ", " + skipped + " skipped";
            Console.WriteLine(summary);
            return failed > 0 || passed == 0 ? 1 : 0;
        }
    }
}
