// A Worker Service whose pool of worker processes lives and dies with the host: AddProcessPool starts
// the workers when the host starts and drains them (Close, Join, then Terminate at the shutdown timeout)
// when it stops. The worker below does one Map and then stops the application, so `dotnet run` ends.
using HostedPool;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

HostApplicationBuilder builder = Host.CreateApplicationBuilder(args);
builder.Services.AddProcessPool(options => options with { Processes = 2 });
builder.Services.AddHostedService<SquaresWorker>();
await builder.Build().RunAsync().ConfigureAwait(false);
