package share

import (
	"sort"

	"github.com/fedwasm/fedwasm/federation/errcode"
)

// ConsumerReport is what one consumer asked for and what it got.
type ConsumerReport struct {
	Consumer
	Got     string         `json:"got,omitempty"`
	GotFrom string         `json:"gotFrom,omitempty"`
	Rule    Rule           `json:"rule,omitempty"`
	Reason  string         `json:"reason,omitempty"`
	Warning *errcode.Error `json:"warning,omitempty"`
	Error   *errcode.Error `json:"error,omitempty"`
}

// PackageReport answers "why this version?" for one package in one scope.
type PackageReport struct {
	Scope     string           `json:"scope"`
	Package   string           `json:"package"`
	Providers []Provider       `json:"providers"`
	Consumers []ConsumerReport `json:"consumers"`
}

// Snapshot reports every package in every scope, sorted by scope and package.
func (s *Scopes) Snapshot() []PackageReport {
	s.mu.Lock()
	defer s.mu.Unlock()
	index := map[[2]string]*PackageReport{}
	report := func(scope, pkg string) *PackageReport {
		key := [2]string{scope, pkg}
		if index[key] == nil {
			index[key] = &PackageReport{Scope: scope, Package: pkg, Providers: []Provider{}, Consumers: []ConsumerReport{}}
		}
		return index[key]
	}
	for scope, pkgs := range s.scopes {
		for pkg, versions := range pkgs {
			r := report(scope, pkg)
			list := make([]*entry, 0, len(versions))
			for _, e := range versions {
				list = append(list, e)
			}
			sort.Slice(list, func(i, j int) bool { return list[i].version.Compare(list[j].version) < 0 })
			for _, e := range list {
				r.Providers = append(r.Providers, e.Provider)
			}
		}
	}
	for _, c := range s.consumers {
		r := report(c.Scope, c.Package)
		r.Consumers = append(r.Consumers, c)
	}
	out := make([]PackageReport, 0, len(index))
	for _, r := range index {
		sort.Slice(r.Consumers, func(i, j int) bool { return r.Consumers[i].From < r.Consumers[j].From })
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Scope != out[j].Scope {
			return out[i].Scope < out[j].Scope
		}
		return out[i].Package < out[j].Package
	})
	return out
}
