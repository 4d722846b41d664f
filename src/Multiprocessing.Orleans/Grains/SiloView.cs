using Orleans;

namespace Multiprocessing.Orleans.Grains;

/// <summary>A silo's answer to the watcher: its workers and the members it knows of.</summary>
/// <param name="Processes">The size of the silo's local process pool.</param>
/// <param name="Active">Members this silo sees as active (parsable silo addresses).</param>
/// <param name="Dead">Members this silo's membership has declared dead.</param>
/// <param name="Attempts">The asking driver's attempts this silo holds now (arrived and not yet answered).</param>
[GenerateSerializer]
[Immutable]
internal sealed record SiloView([property: Id(0)] int Processes, [property: Id(1)] string[] Active, [property: Id(2)] string[] Dead, [property: Id(3)] long[] Attempts);
