using KetamineCds.Api.Admin;
using KetamineCds.Api.CdsHooks;
using KetamineCds.Api.Hosting;
using KetamineCds.Api.Security;

var builder = WebApplication.CreateBuilder(args);
builder.AddKetamineCds();
builder.AddCdsSecurity();
builder.AddKetamineCdsStorage();

var app = builder.Build();
app.UseKetamineCdsErrorHandling();
app.UseKetamineCdsStorage();
app.UseCdsSecurity();
app.MapCdsHooks();
app.MapHealthEndpoints();
app.MapAdmin();
app.Run();
