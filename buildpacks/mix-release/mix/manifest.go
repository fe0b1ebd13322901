package mix

import (
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"strconv"
)

// manifestMtime is 1980-01-01T00:00:01Z in Gregorian seconds, the unit of
// phx.digest's mtime fields: the time the lifecycle gives every file of
// an image.
const manifestMtime = 62482752001

// StableManifest sets the mtime of every entry of phx.digest's
// cache_manifest.json to manifestMtime and returns how many it set (0, and
// no error, when there is no manifest). phx.digest records each source
// file's modification time, which is the build's own time since the
// bundler has just written the files, so without this every build
// rewrites the manifest and with it the release's app layer, even when no
// asset changed. Phoenix reads mtime only in phx.digest.clean (to keep
// recent versions), which never runs in an image.
func StableManifest(path string) (int, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return 0, err
	}
	var digests map[string]map[string]json.RawMessage
	if raw, ok := m["digests"]; !ok || json.Unmarshal(raw, &digests) != nil {
		return 0, nil // an older or other shape: nothing to settle
	}
	n := 0
	for _, d := range digests {
		if _, ok := d["mtime"]; ok {
			d["mtime"] = json.RawMessage(strconv.Itoa(manifestMtime))
			n++
		}
	}
	if n == 0 {
		return 0, nil
	}
	raw, err := json.Marshal(digests)
	if err != nil {
		return 0, err
	}
	m["digests"] = raw
	out, err := json.Marshal(m)
	if err != nil {
		return 0, err
	}
	return n, os.WriteFile(path, out, 0o644)
}
