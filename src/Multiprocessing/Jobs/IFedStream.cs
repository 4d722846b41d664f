namespace Multiprocessing.Jobs;

/// <summary>An Imap call whose input a feeder is reading, as the pool sees it when it is joined.</summary>
internal interface IFedStream
{
    /// <summary>
    /// From now on the feeder stops instead of waiting for the consumer to make room in the read-ahead: a Join
    /// must not wait for input nobody consumes (Python's imap reads its whole input at once, so it never waits).
    /// </summary>
    void StopReadingWhenBehind();
}
