package testnet

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"

	ucli "github.com/urfave/cli/v2"

	auditcli "github.com/vinhub/vinhub/audit/cli"
)

// RunAuditDemo audits DemoVIN as an outside auditor would: vinaudit (run
// in-process) trusts the hub's genesis, reads through the hub's first node
// and has its last node confirm every header. It returns the HTML report.
func RunAuditDemo(ctx context.Context, hub *Chain, home string, out io.Writer) (string, error) {
	fmt.Fprintf(out, "==> vinaudit proves %s's history from the hub's consensus\n", DemoVIN)
	primary, witness := hub.Node(0), hub.Node(len(hub.Nodes)-1)
	rpc := func(n *Node) string { return fmt.Sprintf("http://127.0.0.1:%d", n.RPCPort) }
	reports := filepath.Join(home, "reports")
	run := func(args ...string) error {
		app := auditcli.App()
		app.Writer, app.ErrWriter = out, out
		err := app.RunContext(ctx, append([]string{"vinaudit", "--home", home}, args...))
		var exit ucli.ExitCoder
		if errors.As(err, &exit) {
			return fmt.Errorf("vinaudit %v: exit %d", args, exit.ExitCode())
		}
		return err
	}
	if err := run("init", "--genesis", filepath.Join(primary.Home, "config", "genesis.json"), "--primary", rpc(primary), "--witness", rpc(witness)); err != nil {
		return "", err
	}
	if err := run("vin", "--out", reports, DemoVIN); err != nil {
		return "", err
	}
	pages, err := filepath.Glob(filepath.Join(reports, DemoVIN+"-*.html"))
	if err != nil || len(pages) == 0 {
		return "", fmt.Errorf("no report in %s: %v", reports, err)
	}
	return pages[len(pages)-1], nil
}
