// Package enginecli names the command line of the container engine that
// answers at DOCKER_HOST, the one pack builds with: podman where the
// set-up started podman's Docker API, docker where a Docker engine
// answered. Guessing from what is on PATH would look at another engine's
// images on a machine that has both.
package enginecli

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

// Name asks the engine at host (DOCKER_HOST's form, unix:///path) which it
// is, through its version endpoint.
func Name(host string) (string, error) {
	sock, ok := strings.CutPrefix(host, "unix://")
	if !ok {
		return "", fmt.Errorf("DOCKER_HOST=%s is not a unix socket: a local engine is needed", host)
	}
	client := http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return (&net.Dialer{}).DialContext(ctx, "unix", sock)
		},
	}}
	resp, err := client.Get("http://engine/version")
	if err != nil {
		return "", fmt.Errorf("no engine answers at %s: %w", host, err)
	}
	defer resp.Body.Close()
	var v struct{ Components []struct{ Name string } }
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		return "", fmt.Errorf("the engine at %s gave no version: %w", host, err)
	}
	for _, c := range v.Components {
		if strings.Contains(c.Name, "Podman") {
			return "podman", nil
		}
	}
	return "docker", nil
}

// FromEnv is Name for $DOCKER_HOST, or the Docker default socket.
func FromEnv() (string, error) {
	host := os.Getenv("DOCKER_HOST")
	if host == "" {
		host = "unix:///var/run/docker.sock"
	}
	return Name(host)
}
