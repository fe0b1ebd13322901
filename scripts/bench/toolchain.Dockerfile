# The baseline's builder base: the stack's build image with the same Erlang
# and Elixir the buildpacks install, from the same local index. It stands in
# for the hexpm/elixir image that `mix phx.gen.release --docker` starts from,
# so it is made once, outside the timings, as that image would be pulled.
ARG BUILD_IMAGE
FROM ${BUILD_IMAGE}
ARG INDEX_URL
ARG OTP_VERSION
ARG OTP_MAJOR
ARG ELIXIR_VERSION
ARG OS_DIR
USER root
ADD ${INDEX_URL}/builds/otp/amd64/${OS_DIR}/OTP-${OTP_VERSION}.tar.gz /tmp/otp.tar.gz
ADD ${INDEX_URL}/builds/elixir/v${ELIXIR_VERSION}-otp-${OTP_MAJOR}.zip /tmp/elixir.zip
RUN mkdir -p /usr/local/lib/erlang /usr/local/lib/elixir \
 && tar -xzf /tmp/otp.tar.gz -C /usr/local/lib/erlang --strip-components=1 \
 && /usr/local/lib/erlang/Install -minimal /usr/local/lib/erlang \
 && unzip -q /tmp/elixir.zip -d /usr/local/lib/elixir \
 && rm /tmp/otp.tar.gz /tmp/elixir.zip
ENV PATH=/usr/local/lib/elixir/bin:/usr/local/lib/erlang/bin:$PATH LANG=C.UTF-8
