# KetamineCds container: framework-dependent publish on the official ASP.NET Core runtime image, non-root.
# Build: docker build -t ketamine-cds .   Run: see docs/deployment.md (read-only root file system, /data writable).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
# --ucr: for the build machine's runtime, which turns on ReadyToRun (faster start-up; see docs/performance.md).
RUN dotnet publish src/KetamineCds.Api/KetamineCds.Api.csproj -c Release --ucr -o /app --no-self-contained

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_ENVIRONMENT=Production \
    ASPNETCORE_HTTP_PORTS=8080 \
    DOTNET_NOLOGO=1 \
    Storage__DataDirectory=/data
# The only writable place; mount a volume here (the root file system is read-only at run time).
RUN mkdir -p /data && chown "$APP_UID" /data
VOLUME /data
EXPOSE 8080
# The image's non-root user (uid 1654).
USER $APP_UID
# The aspnet image has no curl or wget: probe with the orchestrator (/health/live, /health/ready) or with bash's /dev/tcp.
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health/live HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n1 <&3 | grep -q ' 200 '"]
# The app host, so that the process is named KetamineCds.Api (dotnet-counters -n KetamineCds.Api, README).
ENTRYPOINT ["./KetamineCds.Api"]
