package share

// Plain is p's JSON form as plain values (see jsonv.Plainer).
func (p Provider) Plain() map[string]any {
	return map[string]any{"package": p.Package, "version": p.Version, "scope": p.Scope, "from": p.From,
		"eager": p.Eager, "loaded": p.Loaded, "loading": p.Loading, "inUse": p.InUse}
}

// Plain is c's JSON form as plain values (see jsonv.Plainer).
func (c Consumer) Plain() map[string]any {
	m := map[string]any{"package": c.Package, "scope": c.Scope, "from": c.From, "singleton": c.Singleton,
		"strictVersion": c.StrictVersion, "eager": c.Eager, "hasFallback": c.HasFallback}
	if c.RequiredVersion != "" {
		m["requiredVersion"] = c.RequiredVersion
	}
	return m
}

// Plain is r's JSON form as plain values (see jsonv.Plainer).
func (r ConsumerReport) Plain() map[string]any {
	m := r.Consumer.Plain()
	for k, v := range map[string]string{"got": r.Got, "gotFrom": r.GotFrom, "rule": string(r.Rule), "reason": r.Reason} {
		if v != "" {
			m[k] = v
		}
	}
	if r.Warning != nil {
		m["warning"] = r.Warning
	}
	if r.Error != nil {
		m["error"] = r.Error
	}
	return m
}

// Plain is r's JSON form as plain values (see jsonv.Plainer).
func (r PackageReport) Plain() map[string]any {
	m := map[string]any{"scope": r.Scope, "package": r.Package, "providers": nil, "consumers": nil}
	if r.Providers != nil {
		list := make([]any, len(r.Providers))
		for i, p := range r.Providers {
			list[i] = p
		}
		m["providers"] = list
	}
	if r.Consumers != nil {
		list := make([]any, len(r.Consumers))
		for i, c := range r.Consumers {
			list[i] = c
		}
		m["consumers"] = list
	}
	return m
}
