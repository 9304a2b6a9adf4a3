package sim

import (
	"crypto/rand"
	"encoding/base64"
)

// RotateAPIKey replaces the API key the peers accept, as an expired or
// revoked key would be replaced: the old key is refused with 403 from now
// on, and keygen with the admin credentials hands out the new one, which
// it returns.
func (w *World) RotateAPIKey() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	key := base64.StdEncoding.EncodeToString(b)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.apiKey = key
	w.logger.Info("api key rotated")
	return key
}
