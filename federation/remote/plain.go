package remote

// Plain is r's JSON form as plain values (see jsonv.Plainer).
func (r Report) Plain() map[string]any {
	m := r.Remote.Plain()
	m["state"] = string(r.State)
	m["requests"] = r.Requests
	if r.LoadMs != 0 {
		m["loadMs"] = r.LoadMs
	}
	if r.Error != nil {
		m["error"] = r.Error
	}
	return m
}
