package mix

import "strings"

// clusterScript runs before every process of a release (CNB exec.d, output
// on fd 3). A release's node is NAME@HOSTNAME with short names by default,
// which nodes in other containers cannot reach: on Kubernetes (and any
// network of containers) peers find each other by IP, as dns_cluster (in
// every `mix phx.new` app, DNS_CLUSTER_QUERY) does, and connect to
// NAME@IP with long names. So when clustering is asked for, DNS_CLUSTER_QUERY
// being set or RELEASE_DISTRIBUTION=name, the node defaults to long names at
// the container's IP: POD_IP (the Kubernetes downward API) or the first IPv4
// address of the hostname. RELEASE_DISTRIBUTION and RELEASE_NODE given at
// run time win. The cookie is never made up here: nodes must share one, and
// without RELEASE_COOKIE each container makes its own (release-cookie), so
// the script says so.
const clusterScript = `#!/bin/sh
# Written by the elixir-buildpacks/mix-release buildpack.
if [ -z "${DNS_CLUSTER_QUERY:-}" ] && [ "${RELEASE_DISTRIBUTION:-}" != name ]; then
  exit 0
fi
if [ -z "${RELEASE_DISTRIBUTION:-}" ]; then
  printf 'RELEASE_DISTRIBUTION = "name"\n' >&3
  RELEASE_DISTRIBUTION=name
fi
if [ "$RELEASE_DISTRIBUTION" = name ] && [ -z "${RELEASE_NODE:-}" ]; then
  ip=${POD_IP:-}
  if [ -z "$ip" ]; then
    for a in $(hostname -i 2>/dev/null); do
      case "$a" in 127.*|*:*) ;; *) ip=$a; break ;; esac
    done
  fi
  if [ -n "$ip" ]; then
    printf 'RELEASE_NODE = "%s@%s"\n' "@@RELEASE@@" "$ip" >&3
  else
    echo "WARNING: clustering is asked for but this container has no IPv4 address to name the node after: set RELEASE_NODE (or POD_IP)" >&2
  fi
fi
if [ -z "${RELEASE_COOKIE:-}" ]; then
  echo "WARNING: clustering is asked for but RELEASE_COOKIE is unset: each container makes its own cookie, so no node can connect to another; give every container the same RELEASE_COOKIE (from a secret)" >&2
fi
`

// ClusterScript is clusterScript for the release named release.
func ClusterScript(release string) string {
	return strings.ReplaceAll(clusterScript, "@@RELEASE@@", release)
}
