using KetamineCds.Api.CdsHooks;
using KetamineCds.Api.Hosting;
using KetamineCds.Api.Security;

var builder = WebApplication.CreateBuilder(args);
builder.AddKetamineCds();
builder.AddCdsSecurity();

var app = builder.Build();
app.UseKetamineCdsErrorHandling();
app.UseCdsSecurity();
app.MapCdsHooks();
app.MapHealthEndpoints();
app.Run();
