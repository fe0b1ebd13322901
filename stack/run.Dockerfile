# The run image: only what ERTS and the release scripts need, on no distro
# image at all. From the Debian release's packages it takes the shared
# libraries ERTS links (libc, libm, libstdc++, libgcc_s, libtinfo, zlib,
# libssl/libcrypto for :crypto and :ssl, libsystemd for epmd) with
# everything they depend on, the CA bundle and the C.UTF-8 locale, plus
# busybox for the /bin/sh scripts a release starts with (bin/<name> and
# erts' erl) and bash, which the CNB launcher runs commands given to it
# with. No package manager, no compilers. DEBIAN_SUITE and DEBIAN_VERSION
# name the Debian release BASE_IMAGE is (scripts/lib/common.sh sets all
# three from ELIXIR_BP_SUITE).
ARG BASE_IMAGE=debian:trixie-slim
FROM ${BASE_IMAGE} AS files
USER root
# OpenSSL 3 is libssl3t64 from Debian 13 on (the 64-bit time_t rename),
# libssl3 before.
RUN set -eu; ssl=libssl3t64; apt-get update; \
    apt-cache show "$ssl" >/dev/null 2>&1 || ssl=libssl3; \
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      busybox bash ca-certificates "$ssl" libtinfo6 libstdc++6 zlib1g libsystemd0; \
    echo "$ssl" >/tmp/ssl-package; \
    rm -rf /var/lib/apt/lists/*
# Copies the files (not docs) of those packages and of every package they
# depend on, at their real paths, so the merged-/usr links below hold. The
# dependencies are read from dpkg, not listed here, so each Debian release
# gets its own (bookworm's libsystemd0 needs libgcrypt20 and liblz4-1,
# trixie's only libcap2). ca-certificates' own dependencies (openssl,
# debconf) are not wanted: only its bundle is copied.
RUN set -eu; \
    mkdir -p /rootfs/usr/bin /rootfs/usr/lib /rootfs/usr/lib64 /rootfs/usr/sbin /rootfs/etc/ssl/certs /rootfs/tmp /rootfs/home/cnb; \
    ln -s usr/bin /rootfs/bin; ln -s usr/lib /rootfs/lib; ln -s usr/lib64 /rootfs/lib64; ln -s usr/sbin /rootfs/sbin; \
    todo="busybox bash $(cat /tmp/ssl-package) libtinfo6 libstdc++6 zlib1g libsystemd0"; seen=" "; \
    while [ -n "$todo" ]; do \
      set -- $todo; p=$1; shift; todo="$*"; \
      case "$seen" in *" $p "*) continue ;; esac; \
      seen="$seen$p "; \
      for d in $(dpkg-query -W -f='${Pre-Depends},${Depends}' "$p" | tr ',|' '\n\n' | sed 's/(.*//; s/:any//; s/[[:space:]]//g'); do \
        dpkg-query -W -f='${Status}' "$d" 2>/dev/null | grep -q ' installed$' && todo="$todo $d"; \
      done; \
    done; \
    echo "run image packages:$seen"; \
    for p in $seen; do dpkg -L "$p"; done \
      | grep -vE '^/usr/share/|/gconv/|^/etc/|^/usr/lib/x86_64-linux-gnu/audit/' | sort -u | while read -r f; do \
      if [ -f "$f" ] || [ -L "$f" ]; then \
        d=$(realpath "$(dirname "$f")"); mkdir -p "/rootfs$d"; cp -a "$f" "/rootfs$d/"; \
      fi; \
    done; \
    cp -a /usr/lib/locale /rootfs/usr/lib/locale; \
    cp /etc/ssl/certs/ca-certificates.crt /rootfs/etc/ssl/certs/; \
    for a in $(busybox --list); do [ -e "/rootfs/usr/bin/$a" ] || ln -s busybox "/rootfs/usr/bin/$a"; done; \
    printf 'root:x:0:0:root:/root:/bin/sh\ncnb:x:1002:1000:cnb:/home/cnb:/bin/sh\n' >/rootfs/etc/passwd; \
    printf 'root:x:0:\ncnb:x:1000:\n' >/rootfs/etc/group; \
    printf 'hosts: files dns\n' >/rootfs/etc/nsswitch.conf; \
    chmod 1777 /rootfs/tmp; chown 1002:1000 /rootfs/home/cnb

FROM scratch
COPY --from=files /rootfs/ /

ARG DEBIAN_SUITE=trixie
ARG DEBIAN_VERSION=13
ARG CNB_USER_ID=1002
ARG CNB_GROUP_ID=1000
LABEL io.buildpacks.stack.id="io.buildpacks.stacks.${DEBIAN_SUITE}" \
      io.buildpacks.base.distro.name="debian" \
      io.buildpacks.base.distro.version="${DEBIAN_VERSION}" \
      io.buildpacks.base.maintainer="Elixir Buildpacks" \
      io.buildpacks.base.description="Minimal run image for Elixir releases: Debian ${DEBIAN_SUITE} libraries, busybox, no package manager"
ENV CNB_USER_ID=${CNB_USER_ID} CNB_GROUP_ID=${CNB_GROUP_ID} LANG=C.UTF-8 \
    PATH=/usr/local/bin:/usr/bin:/bin SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
USER ${CNB_USER_ID}:${CNB_GROUP_ID}
