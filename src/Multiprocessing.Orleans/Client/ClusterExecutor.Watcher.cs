using Microsoft.Extensions.Logging;
using Multiprocessing.Orleans.Grains;
using Multiprocessing.Workers;
using Orleans;
using Orleans.Runtime;

namespace Multiprocessing.Orleans.Client;

/// <content>
/// The watcher: every poll interval it asks each silo's own chunk grain for its membership view (bounded by the
/// poll timeout). A silo any member reports dead is lost at once: its calls are cancelled and its chunks requeued
/// at the front. Waiting for the calls themselves would take Orleans' response timeout (30 s by default), and the
/// management grain stalls as long when the client's gateway is the dead silo; the silos' own views do not.
/// </content>
internal sealed partial class ClusterExecutor
{
    /// <summary>
    /// Finds the silos and waits until each has answered once (its first answer activates its grain), so that the
    /// pool starts with the cluster's size; after <see cref="ClusterPoolOptions.StartTimeout"/> it starts with the
    /// silos that answered, and fails if none did.
    /// </summary>
    private void Start()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Exception? last = null;
        for (int attempt = 0; clock.Elapsed < _options.StartTimeout && !AllAnswered(); attempt++)
        {
            try
            {
                // Bounded by the start timeout however the cluster answers, and never a busy loop while it does not.
                var delay = attempt == 0 ? TimeSpan.Zero : _options.MembershipPollInterval;
                Task.Run(async () =>
                {
                    await Task.Delay(delay).ConfigureAwait(false);
                    await PollOnceAsync(bootstrap: true).ConfigureAwait(false);
                }).Wait(_options.StartTimeout);
            }
            catch (AggregateException ex)
            {
                last = ex.GetBaseException();
            }
        }

        if (!HasWorkers())
        {
            throw new InvalidOperationException(
                $"No silo of the cluster answered within {_options.StartTimeout.TotalSeconds:0.#} s with workers: call AddMultiprocessingWorkers() on every silo's builder, and connect the client first.{(last is null ? string.Empty : " Last error: " + last.Message)}",
                last);
        }

        _ = Task.Run(WatchAsync);
    }

    private bool HasWorkers()
    {
        lock (_gate)
        {
            return _silos.Values.Any(s => s.Processes > 0);
        }
    }

    private bool AllAnswered()
    {
        lock (_gate)
        {
            return _silos.Count > 0 && _silos.Values.All(s => s.Processes > 0);
        }
    }

    private async Task WatchAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.MembershipPollInterval, _stop.Token).ConfigureAwait(false);
                try
                {
                    await PollOnceAsync(bootstrap: false).ConfigureAwait(false);
                }
                finally
                {
                    CheckSilence();
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // The watcher outlives any one failed poll.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                if (Logger is { } logger)
                {
                    logger.LogWarning(ex, "Multiprocessing cluster watcher: a poll failed");
                }
            }
        }
    }

    private async Task PollOnceAsync(bool bootstrap)
    {
        List<SiloState> known;
        lock (_gate)
        {
            known = [.. _silos.Values];
        }

        if (known.Count == 0 || bootstrap)
        {
            // Only to find the first silos: afterwards the silos' own views say who joins and who is gone.
            var hosts = await _client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(_options.StartTimeout, _stop.Token).ConfigureAwait(false);
            known = AddSilos(hosts.Keys.Select(h => h.ToParsableString()));
        }

        var views = await Task.WhenAll(known.Select(PollAsync)).ConfigureAwait(false);
        var dead = new HashSet<string>();
        var active = new HashSet<string>();
        long now = Environment.TickCount64;
        foreach (var view in views.OfType<SiloView>())
        {
            dead.UnionWith(view.Dead);
            active.UnionWith(view.Active);
            Volatile.Write(ref _lastAnswer, now);
        }

        List<(SiloState Silo, long Attempt)> missing = [];
        lock (_gate)
        {
            for (int i = 0; i < known.Count; i++)
            {
                if (views[i] is { } view && !known[i].Lost)
                {
                    known[i].Processes = view.Processes;
                    known[i].Suspect = false;
                    var held = new HashSet<long>(view.Attempts);
                    foreach (var (attempt, entry) in known[i].InFlight)
                    {
                        // A call the silo never got, or whose reply was lost (a message through a gateway that died):
                        // without this it would wait for ever, since chunk calls have no response timeout.
                        if (held.Contains(attempt) || now - entry.SentAt < ArrivalGraceMs)
                        {
                            entry.UnreportedSince = 0;
                        }
                        else if (entry.UnreportedSince == 0)
                        {
                            entry.UnreportedSince = now;
                        }
                        else if (now - entry.UnreportedSince >= ReplyGraceMs)
                        {
                            missing.Add((known[i], attempt));
                        }
                    }
                }
            }
        }

        foreach (var (silo, attempt) in missing)
        {
            OnReply(silo, attempt, null, new TimeoutException($"{silo} does not hold the chunk sent to it {ArrivalGraceMs / 1000} s ago, and no reply came: the call or its reply was lost."));
        }

        AddSilos(active.Where(a => !dead.Contains(a)));
        foreach (var silo in known.Where(s => dead.Contains(s.Address)))
        {
            OnSiloLost(silo);
        }

        Dispatch();
    }

    private async Task<SiloView?> PollAsync(SiloState silo)
    {
        try
        {
            return await silo.Grain.View(_driver).WaitAsync(_options.MembershipPollTimeout, _stop.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A silo that does not answer in time is asked again at the next poll.
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    /// <summary>
    /// When no silo has answered the watcher for <see cref="ClusterPoolOptions.StartTimeout"/> while chunks wait or
    /// run, nobody is left to declare the silos dead (the only silo, or every one, is gone, or out of reach): they are
    /// lost now, and the chunks that have no silo to go to fail with <see cref="SiloLostException"/> instead of waiting
    /// for ever. Chunks submitted later wait for a silo as long again. An idle pool loses nothing to silence, and a
    /// silo lost to silence may come back (the management grain lists it again): a dead one is not an active member.
    /// </summary>
    private void CheckSilence()
    {
        long now = Environment.TickCount64;
        if (now - Volatile.Read(ref _lastAnswer) < (long)_options.StartTimeout.TotalMilliseconds)
        {
            return;
        }

        List<SiloState> silent;
        lock (_gate)
        {
            if (_pending.Count == 0 && _silos.Values.All(s => s.InFlight.Count == 0))
            {
                Volatile.Write(ref _lastAnswer, now);
                return;
            }

            silent = [.. _silos.Values];
        }

        foreach (var silo in silent)
        {
            OnSiloLost(silo);
        }

        List<ProcessChunk> stranded;
        lock (_gate)
        {
            Volatile.Write(ref _lastAnswer, now);
            _lostSilos.ExceptWith(silent.Select(s => s.Address));
            if (UsableSilos().Any())
            {
                return;
            }

            stranded = [.. _pending];
            _pending.Clear();
            foreach (var chunk in stranded)
            {
                _losses.Remove(chunk);
            }

            SignalIfDrained();
        }

        if (stranded.Count > 0 && Logger is { } logger)
        {
            logger.LogWarning("Multiprocessing cluster: no silo has answered for {Timeout}; {Failed} chunk(s) failed", _options.StartTimeout, stranded.Count);
        }

        foreach (var chunk in stranded)
        {
            chunk.Fail(new SiloLostException(
                $"No silo of the cluster has answered for {_options.StartTimeout.TotalSeconds:0.#} s (ClusterPoolOptions.StartTimeout), so the chunk of tasks {chunk.Start}..{chunk.Start + chunk.Count - 1} ({chunk.Descriptor.DisplayName}) had nowhere to run: start a silo, or check that this client reaches the cluster."));
        }
    }

    /// <summary>Adds silos not yet known (never one already lost: a restarted silo has a new address generation).</summary>
    private List<SiloState> AddSilos(IEnumerable<string> addresses)
    {
        lock (_gate)
        {
            foreach (string address in addresses)
            {
                if (!_silos.ContainsKey(address) && !_lostSilos.Contains(address))
                {
                    _silos[address] = new SiloState(address, _client.GetGrain<IChunkGrain>(address));
                }
            }

            return [.. _silos.Values];
        }
    }

    private void OnSiloLost(SiloState silo)
    {
        List<(ProcessChunk Chunk, SiloLostException Error)> failed = [];
        int requeued = 0;
        lock (_gate)
        {
            if (silo.Lost)
            {
                return;
            }

            silo.Lost = true;
            _silos.Remove(silo.Address);
            _lostSilos.Add(silo.Address);
            foreach (var entry in silo.InFlight.Values)
            {
                if (Lose(entry.Chunk, ChunkLoss.SiloLost, silo, null) is { } error)
                {
                    failed.Add((entry.Chunk, error));
                }
                else
                {
                    requeued++;
                }
            }

            silo.InFlight.Clear();
            SignalIfDrained();
        }

        if (Logger is { } logger)
        {
            logger.LogWarning("Multiprocessing cluster: {Silo} was lost; {Requeued} chunk(s) requeued, {Failed} failed", silo.Address, requeued, failed.Count);
        }

        // Its calls would end only at the response timeout: end them now (their replies no longer count).
        silo.Calls.Cancel();
        foreach (var (chunk, error) in failed)
        {
            chunk.Fail(error);
        }

        SiloLost?.Invoke(silo.Address);
    }

    /// <summary>The silos now taking chunks (for tests and diagnostics).</summary>
    internal List<string> SiloAddresses()
    {
        lock (_gate)
        {
            return [.. UsableSilos().Select(s => s.Address)];
        }
    }

    /// <summary>Raised after a silo is found lost and its chunks requeued (for tests and diagnostics).</summary>
    internal event Action<string>? SiloLost;

    private readonly HashSet<string> _lostSilos = [];

    /// <summary>When (<see cref="Environment.TickCount64"/>) a silo last answered the watcher.</summary>
    private long _lastAnswer = Environment.TickCount64;

    /// <summary>How long (ms) a chunk call may take to reach its silo before the silo's not holding it counts.</summary>
    private const long ArrivalGraceMs = 5000;

    /// <summary>How long (ms) a reply may be on its way once the silo no longer holds the chunk.</summary>
    private const long ReplyGraceMs = 2000;
}
