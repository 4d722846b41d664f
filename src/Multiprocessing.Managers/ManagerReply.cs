namespace Multiprocessing.Managers;

/// <summary>The answer to one request.</summary>
internal readonly record struct ManagerReply(ReplyStatus Status, long Value = 0, byte[]? Payload = null, string? Message = null)
{
    public static readonly ManagerReply Ok = new(ReplyStatus.Ok);

    public static readonly ManagerReply False = new(ReplyStatus.False);

    public static readonly ManagerReply Cancelled = new(ReplyStatus.Cancelled);

    public static ManagerReply Of(bool ok) => ok ? Ok : False;

    public static ManagerReply OfValue(long value) => new(ReplyStatus.Ok, value);

    public static ManagerReply OfPayload(byte[] payload) => new(ReplyStatus.Ok, 0, payload);

    public static ManagerReply Error(ReplyError error, string message) => new(ReplyStatus.Error, (long)error, null, message);
}
