using System.CommandLine;
using System.Globalization;
using Guide.Examples;

namespace Guide;

/// <summary>
/// The complete examples of the guide to Python's <c>multiprocessing.Pool</c>, ported to Multiprocessing.NET:
/// one command per example (<c>dotnet run --project samples/Guide -- first-result</c>), <c>list</c> to name them.
/// </summary>
internal static class Program
{
    private static readonly Example[] s_examples =
    [
        .. Alternatives.Examples.Take(1),
        .. WordHashing.Examples,
        .. UsagePatterns.Examples,
        .. ExceptionHandling.Examples,
        .. CommonErrors.Examples,
        .. CommonQuestions.Examples,
        .. Alternatives.Examples.Skip(1),
    ];

    public static int Main(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

        var root = new RootCommand(
            "The complete examples of the guide to Python's multiprocessing.Pool, in C#. " +
            $"Sleeps are the guide's times {Py.SleepScale.ToString(CultureInfo.InvariantCulture)}, so that every example ends in a few seconds.");

        var list = new Command("list", "Name every example with the guide's section title.");
        list.SetAction(_ => List());
        root.Subcommands.Add(list);

        foreach (var example in s_examples)
        {
            var command = new Command(example.Command, example.Section);
            command.SetAction(_ => example.Run());
            root.Subcommands.Add(command);
        }

        return root.Parse(args).Invoke();
    }

    private static int List()
    {
        int width = s_examples.Max(e => e.Command.Length);
        foreach (var example in s_examples)
        {
            Console.WriteLine($"{example.Command.PadRight(width)}  {example.Section}");
        }

        Console.WriteLine();
        Console.WriteLine($"Sleeps are the guide's times {Py.SleepScale.ToString(CultureInfo.InvariantCulture)} (1 s in the guide is {1000 * Py.SleepScale} ms here).");
        Console.WriteLine("Run one: dotnet run --project samples/Guide -- COMMAND");
        return 0;
    }
}
