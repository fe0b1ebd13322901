package mix

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/buildpacks/libcnb/v2"
	"github.com/paketo-buildpacks/libpak/v2"
	"github.com/paketo-buildpacks/libpak/v2/log"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/command"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/hexinstalls"
)

// Rebar3 is a cache layer holding the rebar3 escript, contributed only when
// a dependency builds with rebar3; Mix gets it as MIX_REBAR3, which works
// offline and needs no `mix local.rebar` (whose signed-CSV check a private
// mirror cannot pass on Elixir < 1.18.3).
type Rebar3 struct {
	Why      string // which deps need it, for the log
	Elixir   string
	Installs Installs
	Logger   log.Logger
}

// Name is the layer's name.
func (Rebar3) Name() string { return LayerRebar3 }

// Rebar3Bin is the escript inside the layer.
func Rebar3Bin(layer libcnb.Layer) string { return filepath.Join(layer.Path, "bin", "rebar3") }

// Contribute downloads rebar3 unless it is cached for this Elixir.
func (r Rebar3) Contribute(layer *libcnb.Layer) error {
	if layer.Metadata["elixir"] == r.Elixir {
		r.Logger.Headerf("rebar3: needed (%s) and cached for Elixir %s", r.Why, r.Elixir)
	} else {
		r.Logger.Headerf("rebar3: installing, because %s", r.Why)
	}
	md := map[string]interface{}{"elixir": r.Elixir}
	lc := libpak.NewLayerContributor("rebar3", md, libcnb.LayerTypes{Cache: true}, r.Logger)
	return lc.Contribute(layer, func(layer *libcnb.Layer) error {
		bin := filepath.Dir(Rebar3Bin(*layer))
		if err := os.MkdirAll(bin, 0o755); err != nil {
			return err
		}
		began := time.Now()
		e, file, err := r.Installs.Fetch(hexinstalls.Rebar3, r.Elixir, r.Why, bin)
		if err != nil {
			return err
		}
		r.Logger.Bodyf("rebar3 %s (built for Elixir %s) from %s/%s, sha512 verified", e.Version, e.Elixir, r.Installs.Base, e.RelPath())
		r.Logger.Body(command.Completed(time.Since(began)))
		if err := os.Rename(file, Rebar3Bin(*layer)); err != nil {
			return err
		}
		if err := os.Chmod(Rebar3Bin(*layer), 0o755); err != nil {
			return fmt.Errorf("making rebar3 executable: %w", err)
		}
		return nil
	})
}
