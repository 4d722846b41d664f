using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;

namespace Multiprocessing.Tests.Cluster;

/// <summary>Membership tuned for a test cluster on one machine: a dead silo is declared within seconds, not 15 s.</summary>
public static class ClusterTuning
{
    public static void Apply(IServiceCollection services)
    {
        services.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = TimeSpan.FromSeconds(1);
            o.NumMissedProbesLimit = 2;
            o.NumVotesForDeathDeclaration = 1;
            o.TableRefreshTimeout = TimeSpan.FromSeconds(1);
            o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(2);
        });
    }
}
