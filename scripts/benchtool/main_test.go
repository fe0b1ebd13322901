package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPackSpan(t *testing.T) {
	log := filepath.Join(t.TempDir(), "build.log")
	// As pack build --timestamps prints, among the script's own lines.
	text := "==> set-up done: builder elixir-buildpacks/builder:trixie\n" +
		"2026/12/04 02:50:01.250000 Builder elixir-buildpacks/builder:trixie is trusted\n" +
		"\x1b[36m2026/12/04 02:50:02.000000 \x1b[0m===> ANALYZING\n" +
		"no stamp: the lifecycle's line carried with the one before\n" +
		"2026/12/04 02:50:05.750000 Successfully built image elixir-bp-bench-ours-sample\n" +
		"==> built elixir-bp-bench-ours-sample\n"
	if err := os.WriteFile(log, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	span, err := packSpan(log)
	if err != nil || span != 4.5 {
		t.Fatalf("packSpan = %v, %v; want 4.5", span, err)
	}
	if err := os.WriteFile(log, []byte("==> no pack here\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := packSpan(log); err == nil || !strings.Contains(err.Error(), "has no line stamped by pack --timestamps") {
		t.Fatalf("packSpan of an unstamped log: %v", err)
	}
}

func TestReport(t *testing.T) {
	results := filepath.Join(t.TempDir(), "results.tsv")
	rows := "sample ours change 1 6\nsample pack change 1 3\nsample baseline change 1 4\n" +
		"sample ours change 2 8\nsample pack change 2 5\nsample baseline change 2 4\n" +
		"sample ours size 1 30000000\nsample baseline size 1 120000000\n"
	if err := os.WriteFile(results, []byte(rows), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := report(results, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| rebuild after a one-line change | 7.00 s | 4.00 s | 4.00 s | 1.75 | 1.00 | 2 |",
		"| image size | 30.00 MB | — | 120.00 MB | 0.25 | — | 1 |",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
}
