using KetamineCds.Api.CdsHooks;
using KetamineCds.Api.Hosting;
using KetamineCds.Api.Security;
using KetamineCds.Api.Smart;

var builder = WebApplication.CreateBuilder(args);
builder.AddKetamineCds();
builder.AddCdsSecurity();
builder.Services.AddSmartApp();

var app = builder.Build();
app.UseKetamineCdsErrorHandling();
app.UseCdsSecurity();
app.MapCdsHooks();
app.MapSmartApp();
app.MapHealthEndpoints();
app.Run();
