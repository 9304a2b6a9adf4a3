package statesnap

import (
	"fmt"
	"sync"
)

// Saver keeps snapshots by name: Store on disk, MemStore in memory.
type Saver interface {
	Save(s *Snapshot) error
	Get(name string) (*Snapshot, error)
	List() (infos []Info, bad []error, err error)
	Remove(name string) error
}

// MemStore keeps snapshots in memory, for a daemon without a data
// directory; they are lost when it stops.
type MemStore struct {
	mu    sync.Mutex
	snaps map[string]*Snapshot
}

// NewMemStore returns an empty MemStore.
func NewMemStore() *MemStore { return &MemStore{snaps: map[string]*Snapshot{}} }

// Save keeps s under its name.
func (m *MemStore) Save(s *Snapshot) error {
	if err := CheckName(s.Name); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.snaps[s.Name] = s
	return nil
}

// Get returns the named snapshot.
func (m *MemStore) Get(name string) (*Snapshot, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.snaps[name]
	if !ok {
		return nil, fmt.Errorf("snapshot %s: %w", name, ErrNotFound)
	}
	return s, nil
}

// List describes every snapshot, newest first.
func (m *MemStore) List() ([]Info, []error, error) {
	m.mu.Lock()
	infos := make([]Info, 0, len(m.snaps))
	for _, s := range m.snaps {
		infos = append(infos, InfoOf(s))
	}
	m.mu.Unlock()
	SortNewest(infos)
	return infos, nil, nil
}

// Remove forgets the named snapshot.
func (m *MemStore) Remove(name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.snaps[name]; !ok {
		return fmt.Errorf("snapshot %s: %w", name, ErrNotFound)
	}
	delete(m.snaps, name)
	return nil
}
