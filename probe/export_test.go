package probe

// WaitGoroutines is waitGoroutines for the package's external tests.
var WaitGoroutines = waitGoroutines
