namespace Guide;

/// <summary>One of the guide's complete examples, ported: its command, the guide's section title, and the code.</summary>
/// <param name="Command">The command that runs it (<c>dotnet run --project samples/Guide -- COMMAND</c>).</param>
/// <param name="Section">The guide's section title (and which example of that section).</param>
/// <param name="Run">The example; returns the process exit code.</param>
internal sealed record Example(string Command, string Section, Func<int> Run);
