using Orleans;
using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace Multiprocessing.Orleans.Silo;

/// <summary>Places a grain on the silo its key names (a parsable silo address): the driver chooses the silo.</summary>
[GenerateSerializer]
[Immutable]
internal sealed class SiloPlacementStrategy : PlacementStrategy
{
    public static SiloPlacementStrategy Instance { get; } = new();
}

/// <summary>Marks a grain class as placed by <see cref="SiloPlacementStrategy"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
internal sealed class SiloPlacementAttribute() : PlacementAttribute(SiloPlacementStrategy.Instance);

/// <summary>
/// Activates a chunk grain only on the silo named by its key. A silo that is gone (or not yet a member) is refused
/// rather than replaced: the driver must hear that its chosen silo cannot run the chunk, and run it elsewhere.
/// </summary>
internal sealed class SiloPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        string key = target.GrainIdentity.Key.ToString();
        SiloAddress silo = SiloAddress.FromParsableString(key);
        if (!context.GetCompatibleSilos(target).Contains(silo))
        {
            throw new OrleansException($"Silo {key} is not an active member of the cluster (or lacks AddMultiprocessingWorkers); the chunk goes to another silo.");
        }

        return Task.FromResult(silo);
    }
}
