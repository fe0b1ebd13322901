// Command benchtool measures what scripts/bench.sh cannot with the shell
// alone: time from container start to the first HTTP 200, the bytes of the
// layers an image change replaced, and the report with medians and ratios.
//
//	benchtool ttfr IMAGE [RUN_ARGS...]
//	benchtool replaced OLD_IMAGE NEW_IMAGE
//	benchtool packspan BUILD.log
//	benchtool report RESULTS.tsv
package main

import (
	"archive/tar"
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/enginecli"
)

func main() {
	if len(os.Args) < 2 {
		fail("usage: benchtool ttfr IMAGE [RUN_ARGS...] | replaced OLD NEW | packspan BUILD.log | report RESULTS.tsv")
	}
	var err error
	switch os.Args[1] {
	case "ttfr":
		err = ttfr(os.Args[2], os.Args[3:]...)
	case "replaced":
		err = replaced(os.Args[2], os.Args[3])
	case "packspan":
		var span float64
		if span, err = packSpan(os.Args[2]); err == nil {
			fmt.Printf("%.3f\n", span)
		}
	case "report":
		err = report(os.Args[2], os.Stdout)
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fail(err.Error())
	}
}

func fail(msg string) {
	fmt.Fprintln(os.Stderr, "benchtool:", msg)
	os.Exit(1)
}

// engine is the CLI of the engine at DOCKER_HOST, the one pack used.
var engine = sync.OnceValue(func() string {
	name, err := enginecli.FromEnv()
	if err != nil {
		fail(err.Error())
	}
	return name
})

// ttfr starts the image on the host network and polls it every 5 ms: the
// figure is from just before `run` to the first HTTP 200.
func ttfr(image string, runArgs ...string) error {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()

	startAt := time.Now()
	args := append([]string{"run", "-d", "--network", "host", "-e", fmt.Sprintf("PORT=%d", port)}, runArgs...)
	out, err := exec.Command(engine(), append(args, image)...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("run %s: %v: %s", image, err, out)
	}
	id := strings.TrimSpace(string(out))
	defer exec.Command(engine(), "rm", "-f", id).Run()

	client := http.Client{Timeout: time.Second}
	url := fmt.Sprintf("http://127.0.0.1:%d/", port)
	for time.Since(startAt) < 60*time.Second {
		if resp, err := client.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				fmt.Printf("%.3f\n", time.Since(startAt).Seconds())
				return nil
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	return fmt.Errorf("%s did not answer HTTP 200 within 60 s", image)
}

// replaced sums the uncompressed sizes of NEW's layers that OLD lacks.
func replaced(oldImage, newImage string) error {
	oldLayers, err := diffIDs(oldImage)
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, d := range oldLayers {
		have[d] = true
	}
	sizes, ids, err := layerSizes(newImage)
	if err != nil {
		return err
	}
	var total int64
	for i, d := range ids {
		if !have[d] {
			total += sizes[i]
		}
	}
	fmt.Println(total)
	return nil
}

func diffIDs(image string) ([]string, error) {
	out, err := exec.Command(engine(), "image", "inspect", "--format", "{{json .RootFS.Layers}}", image).Output()
	if err != nil {
		return nil, fmt.Errorf("inspect %s: %w", image, err)
	}
	var ids []string
	return ids, json.Unmarshal(out, &ids)
}

// layerSizes reads `save` output (a docker-archive) as a stream: the layer
// tarballs' sizes, and manifest.json plus the config to order them by diffID.
func layerSizes(image string) ([]int64, []string, error) {
	cmd := exec.Command(engine(), "save", "--format", "docker-archive", image)
	if engine() == "docker" {
		cmd = exec.Command("docker", "save", image)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, err
	}
	defer cmd.Wait()
	sizes := map[string]int64{}
	files := map[string][]byte{}
	tr := tar.NewReader(stdout)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		sizes[path.Clean(h.Name)] = h.Size
		if strings.HasSuffix(h.Name, ".json") {
			files[path.Clean(h.Name)], _ = io.ReadAll(tr)
		}
	}
	var manifest []struct {
		Config string
		Layers []string
	}
	if err := json.Unmarshal(files["manifest.json"], &manifest); err != nil || len(manifest) == 0 {
		return nil, nil, fmt.Errorf("no manifest.json in the saved %s", image)
	}
	var config struct {
		RootFS struct {
			DiffIDs []string `json:"diff_ids"`
		} `json:"rootfs"`
	}
	if err := json.Unmarshal(files[path.Clean(manifest[0].Config)], &config); err != nil {
		return nil, nil, fmt.Errorf("reading the config of %s: %w", image, err)
	}
	if len(config.RootFS.DiffIDs) != len(manifest[0].Layers) {
		return nil, nil, fmt.Errorf("%s: %d layers but %d diff IDs", image, len(manifest[0].Layers), len(config.RootFS.DiffIDs))
	}
	out := make([]int64, len(manifest[0].Layers))
	for i, l := range manifest[0].Layers {
		out[i] = sizes[path.Clean(l)]
	}
	return out, config.RootFS.DiffIDs, nil
}

// metric describes one figure of the report.
type metric struct {
	key, name, unit string
}

var metrics = []metric{
	{"cold", "cold build", "s"},
	{"change", "rebuild after a one-line change", "s"},
	{"nochange", "rebuild with no change", "s"},
	{"size", "image size", "MB"},
	{"replaced", "bytes of layers a one-line change replaces", "MB"},
	{"ttfr", "container start to first HTTP 200", "s"},
}

// packStamp is how pack build --timestamps starts each line it prints.
var packStamp = regexp.MustCompile(`^(?:\x1b\[[0-9;]*m)*(\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}\.\d{6}) `)

// packSpan is the seconds from the first to the last line pack stamped in
// a build's log: pack alone, without the script around it.
func packSpan(file string) (float64, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return 0, err
	}
	var first, last time.Time
	for _, line := range strings.Split(string(data), "\n") {
		m := packStamp.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		t, err := time.ParseInLocation("2006/01/02 15:04:05.000000", m[1], time.Local)
		if err != nil {
			return 0, err
		}
		if first.IsZero() {
			first = t
		}
		last = t
	}
	if first.IsZero() {
		return 0, fmt.Errorf("%s has no line stamped by pack --timestamps", file)
	}
	return last.Sub(first).Seconds(), nil
}

// report reads rows "app tool metric run value" and prints, per app, the
// median of each figure for ours (the user's command, and pack alone where
// measured) and the baseline, and their ratios.
func report(file string, w io.Writer) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	values := map[string][]float64{} // app|tool|metric
	var apps []string
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) != 5 {
			continue
		}
		v, err := strconv.ParseFloat(fields[4], 64)
		if err != nil {
			return fmt.Errorf("bad value in %q", sc.Text())
		}
		values[fields[0]+"|"+fields[1]+"|"+fields[2]] = append(values[fields[0]+"|"+fields[1]+"|"+fields[2]], v)
		if !seen[fields[0]] {
			seen[fields[0]] = true
			apps = append(apps, fields[0])
		}
	}
	for _, app := range apps {
		fmt.Fprintf(w, "\n### %s\n\n", app)
		fmt.Fprintln(w, "| figure | ours: pack-build.sh (median) | ours: pack alone | baseline (median) | ours/baseline | pack alone/baseline | runs |")
		fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
		for _, m := range metrics {
			ours, pack, base := values[app+"|ours|"+m.key], values[app+"|pack|"+m.key], values[app+"|baseline|"+m.key]
			if len(ours) == 0 || len(base) == 0 {
				continue
			}
			o, b := median(ours), median(base)
			packCell, packRatio := "—", "—"
			if len(pack) > 0 {
				p := median(pack)
				packCell, packRatio = format(p, m.unit), ratio(p, b)
			}
			fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %d |\n", m.name, format(o, m.unit), packCell, format(b, m.unit), ratio(o, b), packRatio, len(ours))
		}
	}
	return nil
}

func ratio(a, b float64) string {
	if b == 0 {
		return "—"
	}
	return fmt.Sprintf("%.2f", a/b)
}

func format(v float64, unit string) string {
	if unit == "MB" {
		return fmt.Sprintf("%.2f MB", v/1e6)
	}
	return fmt.Sprintf("%.2f s", v)
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
