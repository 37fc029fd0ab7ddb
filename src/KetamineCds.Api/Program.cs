using KetamineCds.Api.CdsHooks;
using KetamineCds.Api.Demo;
using KetamineCds.Api.Hosting;
using KetamineCds.Api.Security;

var builder = WebApplication.CreateBuilder(args);
builder.AddKetamineCds();
builder.AddCdsSecurity();
builder.AddKetamineCdsDemo();

var app = builder.Build();
app.UseKetamineCdsErrorHandling();
app.UseCdsSecurity();
app.MapCdsHooks();
app.MapHealthEndpoints();
app.MapKetamineCdsDemo();
app.MapAdminPage();
app.Run();
