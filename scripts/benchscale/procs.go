package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// clockTicks is USER_HZ, the unit of utime and stime in /proc/<pid>/stat;
// 100 on every Linux architecture Go supports.
const clockTicks = 100

// process is a started binary with its output in a file.
type process struct {
	cmd  *exec.Cmd
	done chan struct{}
	log  string
}

// start runs argv with env (and nothing of ours but PATH and HOME), its
// output in logPath.
func start(argv []string, env map[string]string, logPath string) (*process, *os.File, error) {
	out, err := os.Create(logPath)
	if err != nil {
		return nil, nil, err
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stderr = out
	p := &process{cmd: cmd, done: make(chan struct{}), log: logPath}
	return p, out, nil
}

func (p *process) run() error {
	if err := p.cmd.Start(); err != nil {
		return err
	}
	go func() { _ = p.cmd.Wait(); close(p.done) }()
	return nil
}

// stop interrupts the process and kills it when it lingers.
func (p *process) stop() {
	if p == nil || p.cmd.Process == nil {
		return
	}
	_ = p.cmd.Process.Signal(os.Interrupt)
	select {
	case <-p.done:
	case <-time.After(15 * time.Second):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

func (p *process) pid() int { return p.cmd.Process.Pid }

// startSim starts hawatch-sim with n pairs in dir and returns it with the
// URL of its control API, which it prints first on stdout.
func startSim(ctx context.Context, o options, n int, dir string) (*process, string, error) {
	argv := []string{o.sim, "--pairs", strconv.Itoa(n), "--dir", dir, "--poll-interval", o.poll.String()}
	if o.aws {
		argv = append(argv, "--aws")
	}
	if o.awsPoll > 0 {
		argv = append(argv, "--aws-poll-interval", o.awsPoll.String())
	}
	p, logFile, err := start(argv, nil, filepath.Join(dir, "sim.log"))
	if err != nil {
		return nil, "", err
	}
	defer func() { _ = logFile.Close() }()
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		return nil, "", err
	}
	if err := p.run(); err != nil {
		return nil, "", fmt.Errorf("start hawatch-sim: %w", err)
	}
	line := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			line <- sc.Text()
		}
		close(line)
		for sc.Scan() {
		}
	}()
	select {
	case l, ok := <-line:
		if control, found := strings.CutPrefix(l, "control "); ok && found {
			return p, control, nil
		}
		p.stop()
		return nil, "", fmt.Errorf("hawatch-sim did not start (see %s)", p.log)
	case <-ctx.Done():
		p.stop()
		return nil, "", ctx.Err()
	case <-time.After(5 * time.Minute):
		p.stop()
		return nil, "", errors.New("hawatch-sim did not start within 5 minutes")
	}
}

// startDaemon starts hawatch on the configuration hawatch-sim wrote and
// waits until it is ready (every pair polled once).
func startDaemon(ctx context.Context, o options, dir, amURL string) (*process, string, error) {
	env, err := readEnvFile(filepath.Join(dir, "hawatch.env"))
	if err != nil {
		return nil, "", err
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, "", err
	}
	env["HAWATCH_LISTEN_ADDRESS"] = addr
	env["HAWATCH_LOG_LEVEL"] = "warn"
	env["HAWATCH_WEB_ENABLE_PPROF"] = "true"
	env["HAWATCH_ALERT_HOLD_SCALE"] = strconv.FormatFloat(o.holdScale, 'g', -1, 64)
	env["HAWATCH_ALERTMANAGER_URLS"] = amURL
	p, logFile, err := start([]string{o.hawatch}, env, filepath.Join(dir, "hawatch.log"))
	if err != nil {
		return nil, "", err
	}
	defer func() { _ = logFile.Close() }()
	p.cmd.Stdout = logFile
	if err := p.run(); err != nil {
		return nil, "", fmt.Errorf("start hawatch: %w", err)
	}
	url := "http://" + addr
	deadline := time.Now().Add(5 * time.Minute)
	for {
		if resp, err := http.Get(url + "/-/ready"); err == nil {
			_ = resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p, url, nil
			}
		}
		select {
		case <-p.done:
			return nil, "", fmt.Errorf("hawatch exited (see %s)", p.log)
		case <-ctx.Done():
			p.stop()
			return nil, "", ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			p.stop()
			return nil, "", fmt.Errorf("hawatch not ready within 5 minutes (see %s)", p.log)
		}
	}
}

func readEnvFile(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	env := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			env[k] = v
		}
	}
	return env, nil
}

func freeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer func() { _ = l.Close() }()
	return l.Addr().String(), nil
}

// cpuSeconds returns the user and system CPU time the process used.
func cpuSeconds(pid int) (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name may hold spaces; the fields after it are fixed.
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	if len(fields) < 13 {
		return 0, fmt.Errorf("short /proc/%d/stat", pid)
	}
	utime, err1 := strconv.ParseFloat(fields[11], 64)
	stime, err2 := strconv.ParseFloat(fields[12], 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, err
	}
	return (utime + stime) / clockTicks, nil
}

// peakRSS returns VmHWM, the process's peak resident set, in bytes.
func peakRSS(pid int) (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb * 1024, err
		}
	}
	return 0, errors.New("no VmHWM")
}

func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:min(3, len(f))], " ")
}

func numCPU() int { return runtime.NumCPU() }
