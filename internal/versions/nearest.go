package versions

import (
	"slices"
)

// Nearest returns up to n of the available versions closest to want,
// newest first, for error messages that say what there is instead. Closest
// means sharing the most leading segments, then the smallest gap in the
// first segment that differs; releases come before pre-releases, which
// are only offered when want is one.
func Nearest(want Version, available []Version, n int) []Version {
	type scored struct {
		v      Version
		shared int
		gap    int
	}
	var all []scored
	seen := map[string]bool{}
	for _, v := range available {
		if v.Pre != "" && want.Pre == "" {
			continue
		}
		if seen[v.String()] {
			continue
		}
		seen[v.String()] = true
		s := scored{v: v}
		for s.shared < len(want.Segments) && v.segment(s.shared) == want.Segments[s.shared] {
			s.shared++
		}
		if s.shared < len(want.Segments) {
			s.gap = v.segment(s.shared) - want.Segments[s.shared]
			if s.gap < 0 {
				s.gap = -s.gap
			}
		}
		all = append(all, s)
	}
	slices.SortStableFunc(all, func(a, b scored) int {
		if a.shared != b.shared {
			return b.shared - a.shared
		}
		if a.gap != b.gap {
			return a.gap - b.gap
		}
		return Compare(b.v, a.v)
	})
	if len(all) > n {
		all = all[:n]
	}
	out := make([]Version, len(all))
	for i, s := range all {
		out[i] = s.v
	}
	slices.SortFunc(out, func(a, b Version) int { return Compare(b, a) })
	return out
}

// Newest returns up to n of the available releases, newest first.
func Newest(available []Version, n int) []Version {
	var out []Version
	seen := map[string]bool{}
	for _, v := range available {
		if v.Pre == "" && !seen[v.String()] {
			seen[v.String()] = true
			out = append(out, v)
		}
	}
	slices.SortFunc(out, func(a, b Version) int { return Compare(b, a) })
	if len(out) > n {
		out = out[:n]
	}
	return out
}
