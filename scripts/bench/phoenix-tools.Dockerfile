# The baseline's toolchain with the asset tools the Phoenix app's
# assets.setup would download, at /opt/asset-tools (made once, untimed).
ARG TOOLCHAIN_IMAGE
FROM ${TOOLCHAIN_IMAGE}
COPY esbuild-linux-x64 tailwind-linux-x64 /opt/asset-tools/
