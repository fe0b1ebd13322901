package enginecli_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/enginecli"
)

func serve(t *testing.T, component string) string {
	sock := filepath.Join(t.TempDir(), "engine.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"Components":[{"Name":%q}]}`, component)
	})}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Shutdown(context.Background()) })
	return "unix://" + sock
}

func TestName(t *testing.T) {
	for component, want := range map[string]string{"Podman Engine": "podman", "Engine": "docker"} {
		got, err := enginecli.Name(serve(t, component))
		if err != nil || got != want {
			t.Errorf("%q answering: got %q, %v; want %q", component, got, err, want)
		}
	}
	if _, err := enginecli.Name("tcp://127.0.0.1:2375"); err == nil || err.Error() != "DOCKER_HOST=tcp://127.0.0.1:2375 is not a unix socket: a local engine is needed" {
		t.Errorf("a TCP host: %v", err)
	}
}
