package config

import (
	"fmt"
	"path/filepath"
)

// resolver turns the decoded file into pairs, collecting the problems that
// only the file can have: peer counts and secret files.
type resolver struct {
	path string
	dir  string
	errs []*FieldError
}

// credentials are the PAN-OS credentials of a pair, which a pair takes
// from the defaults section as a whole or not at all.
type credentials struct {
	apiKey   Secret
	username string
	password Secret
}

// resolve turns the file into pairs: each setting comes from the pair, or
// else from the defaults section, or else from the built-in default.
func (fc *fileConfig) resolve(path string) ([]PairConfig, error) {
	r := &resolver{path: path, dir: filepath.Dir(path)}
	var defaults credentials
	if fc.Defaults.PANOS != nil {
		defaults = r.credentials("defaults.panos", fc.Defaults.PANOS)
	}
	pairs := make([]PairConfig, 0, len(fc.Pairs))
	for i := range fc.Pairs {
		pairs = append(pairs, r.pair(i, &fc.Pairs[i], &fc.Defaults, defaults))
	}
	return pairs, joinFieldErrors(r.errs)
}

func (r *resolver) pair(i int, fp *filePair, d *pairSettings, defaults credentials) PairConfig {
	prefix := fmt.Sprintf("pairs[%d]", i)
	s := &fp.pairSettings
	p := PairConfig{
		Name:                       fp.Name,
		PollInterval:               pick(s.PollInterval, d.PollInterval, defaultPollInterval),
		PollTimeout:                pick(s.PollTimeout, d.PollTimeout, 0),
		SystemInfoInterval:         pick(s.SystemInfoInterval, d.SystemInfoInterval, defaultSystemInfoInterval),
		TrafficFloorBytesPerSecond: pick(s.TrafficFloor, d.TrafficFloor, 0),
	}
	if len(fp.Peers) != 2 {
		r.errorf(prefix+".peers", "exactly two peers required, got %d", len(fp.Peers))
	}
	for j := range min(len(fp.Peers), 2) {
		p.Peers[j] = PeerConfig(fp.Peers[j])
	}

	sp, dp := orZero(s.PANOS), orZero(d.PANOS)
	creds := defaults
	if s.PANOS != nil && s.PANOS.hasCredentials() {
		creds = r.credentials(prefix+".panos", s.PANOS)
	}
	p.PANOS = PANOSConfig{
		APIKey:             creds.apiKey,
		Username:           creds.username,
		Password:           creds.password,
		CAFile:             r.file(pick(sp.CAFile, dp.CAFile, "")),
		InsecureSkipVerify: pick(sp.InsecureSkipVerify, dp.InsecureSkipVerify, false),
	}

	sa, da := orZero(s.AWS), orZero(d.AWS)
	if pick(sa.Enabled, da.Enabled, s.AWS != nil || d.AWS != nil) {
		def := defaultAWS()
		p.AWS = &AWSConfig{
			Region:       pick(sa.Region, da.Region, ""),
			Mode:         pick(sa.HAMode, da.HAMode, def.Mode),
			PollInterval: pick(sa.PollInterval, da.PollInterval, def.PollInterval),
			Endpoint:     pick(sa.Endpoint, da.Endpoint, ""),
			GracePeriod:  pick(sa.GracePeriod, da.GracePeriod, def.GracePeriod),
		}
	}
	p.complete()
	return p
}

// hasCredentials reports whether the block sets any credential, in which
// case it replaces the credentials of the defaults section.
func (f *filePANOS) hasCredentials() bool {
	return f.APIKey != nil || f.APIKeyFile != nil || f.Username != nil || f.Password != nil || f.PasswordFile != nil
}

// credentials reads the credentials of a panos block at the key path
// prefix, reading secret files.
func (r *resolver) credentials(prefix string, f *filePANOS) credentials {
	return credentials{
		apiKey:   r.secret(prefix+".api_key", f.APIKey, f.APIKeyFile),
		username: pick(f.Username, nil, ""),
		password: r.secret(prefix+".password", f.Password, f.PasswordFile),
	}
}

// secret returns a secret given literally at key or in the file named by
// key_file.
func (r *resolver) secret(key string, value *Secret, file *string) Secret {
	switch {
	case value != nil && file != nil:
		r.errorf(key, "%w: set %s or %s, not both", ErrConflict, key, key+"_file")
		return ""
	case file == nil:
		return pick(value, nil, "")
	}
	s, err := readSecretFile(r.file(*file))
	if err != nil {
		r.errs = append(r.errs, &FieldError{File: r.path, Field: key + "_file", Err: err})
	}
	return s
}

// file resolves a path relative to the config file's directory.
func (r *resolver) file(p string) string {
	if p == "" || filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(r.dir, p)
}

func (r *resolver) errorf(key, format string, args ...any) {
	e := fieldErrorf(key, format, args...)
	e.File = r.path
	r.errs = append(r.errs, e)
}

// pick returns the pair's value if set, else the defaults section's, else
// def.
func pick[T any](pair, defaults *T, def T) T {
	switch {
	case pair != nil:
		return *pair
	case defaults != nil:
		return *defaults
	}
	return def
}

// orZero returns *p, or the zero value for a nil p.
func orZero[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}
