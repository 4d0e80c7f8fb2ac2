<?php

/**
 * The base of the action hook tests: installs a configured copy of php/whmcsHooks.php into
 * ROOTDIR/includes/hooks/ the way an admin does (the connection variables at the top filled in,
 * policy entries changed, exactly one add_hook() line left uncommented), loads the hook files as
 * WHMCS does on a page load, and reads what a failing hook left in whmcs_error.log (in the
 * renamed admin folder) and in the Activity Log.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Hooks;

use SgWhmcs\Tests\Emulator\WhmcsTree;
use SgWhmcs\Tests\Support\ModuleTestCase;
use SgWhmcs\Tests\Support\Sim;
use SgWhmcs\Tests\Support\TestModule;

abstract class HooksTestCase extends ModuleTestCase
{
    /** The four add_hook() lines of whmcsHooks.php: [hook point, function, account kind]. */
    public const LINES = [
        'ClientAdd → reseller' => ['ClientAdd', 'SGSignupReseller', 'reseller'],
        'ClientAdd → customer' => ['ClientAdd', 'SGSignupCustomer', 'customer'],
        'AcceptOrder → reseller' => ['AcceptOrder', 'SGSignupReseller', 'reseller'],
        'AcceptOrder → customer' => ['AcceptOrder', 'SGSignupCustomer', 'customer'],
    ];

    /**
     * A client as an admin adds it (Clients › Add New Client); its password reaches ClientAdd
     * only when it is made through the AddClient API (fire()'s THROUGH_API).
     */
    protected const CLIENT = [
        'firstname' => 'Jane',
        'lastname' => 'Doe',
        'companyname' => 'Acme Widgets',
        'email' => 'jane@acme.test',
        'address1' => '1 Main St',
        'address2' => 'Suite 2',
        'city' => 'Springfield',
        'state' => 'IL',
        'postcode' => '62701',
        'country' => 'US',
        'phonenumber' => '5550100',
        'password' => 'Cl1ent-Pa55word',
    ];

    /** @var list<string> whmcs_error.log's lines before the test, per path */
    private array $errorLogBefore = [];

    protected function setUp(): void
    {
        parent::setUp();
        @unlink(self::installedPath());
        WhmcsTree::setAdminFolder(ROOTDIR, WhmcsTree::ADMIN_PATH);
        foreach ([WhmcsTree::ADMIN_PATH, 'admin'] as $folder) {
            $path = ROOTDIR . '/' . $folder . '/whmcs_error.log';
            $this->errorLogBefore[$path] = self::lines($path);
        }
    }

    protected function tearDown(): void
    {
        @unlink(self::installedPath());
        WhmcsTree::setAdminFolder(ROOTDIR, WhmcsTree::ADMIN_PATH);
        parent::tearDown();
    }

    /** Where an admin copies the hooks file. */
    protected static function installedPath(): string
    {
        return ROOTDIR . '/includes/hooks/whmcsHooks.php';
    }

    /**
     * Installs whmcsHooks.php with the connection to SIM (CONNECTION overrides its variables by
     * name, e.g. 'port'), POLICY entries set (by label; a label the file lacks is added as an
     * entry), and only the add_hook() line of POINT → FUNCTION active; then loads the hook files
     * like WHMCS. Returns the installed source.
     *
     * @param array<string, mixed> $policy
     * @param array<string, string> $connection
     */
    protected function installHooks(
        string $point,
        string $function,
        array $policy = [],
        array $connection = [],
        ?Sim $sim = null
    ): string {
        $sim ??= $this->sim;
        $connection += [
            'protocal' => $sim->scheme,
            'serverName' => $sim->host,
            'port' => (string) $sim->port,
            'userName' => $sim->user,
            'loginPassword' => $sim->password,
            'certificateSha256' => (string) $sim->sha256,
        ];
        $source = (string) file_get_contents(TestModule::repoRoot() . '/php/whmcsHooks.php');
        foreach ($connection as $variable => $value) {
            $source = self::replaceOnce(
                $source,
                '/^\$' . preg_quote($variable, '/') . ' = "[^"\n]*";/m',
                '$' . $variable . ' = ' . var_export($value, true) . ';',
                "whmcsHooks.php sets \$$variable once at the top"
            );
        }
        foreach ($policy as $label => $value) {
            $entry = '    ' . var_export((string) $label, true) . ' => ' . var_export($value, true) . ',';
            $pattern = '/^    "' . preg_quote((string) $label, '/') . '" => "[^"\n]*",/m';
            if (preg_match($pattern, $source) === 1) {
                $source = self::replaceOnce($source, $pattern, $entry, "the policy entry $label");
            } else {
                $start = "\$sgwhmcsPolicy = [\n$entry";
                $source = self::replaceOnce($source, '/^\$sgwhmcsPolicy = \[$/m', $start, 'the policy');
            }
        }
        $found = 0;
        $source = (string) preg_replace_callback(
            '/^#?(add_hook\("(\w+)", 0, "(\w+)", ""\);)$/m',
            function (array $line) use ($point, $function, &$found): string {
                $found++;
                return ($line[2] === $point && $line[3] === $function ? '' : '#') . $line[1];
            },
            $source
        );
        self::assertSame(4, $found, 'whmcsHooks.php has the four add_hook() lines of the product guide');
        file_put_contents(self::installedPath(), $source);
        $this->whmcs->knowHookSecret((string) $connection['loginPassword']);

        $this->whmcs->loadHookFiles(ROOTDIR);

        self::assertSame(1, $this->whmcs->hooks()->count($point), "one $point hook is active");
        $other = $point === 'ClientAdd' ? 'AcceptOrder' : 'ClientAdd';
        self::assertSame(0, $this->whmcs->hooks()->count($other), "no $other hook is active");
        return $source;
    }

    /**
     * Does what fires the hook of POINT for CLIENT: adds the client (ClientAdd), or adds it, lets
     * it order a product without a module and accepts the order (AcceptOrder). Returns
     * [client id, order id or null]. THROUGH_API: the client is made by the AddClient API, the
     * only way WHMCS passes ClientAdd its password (an admin-added client's is '').
     *
     * @param array<string, mixed> $client
     * @return array{0: int, 1: int|null}
     */
    protected function fire(string $point, array $client = self::CLIENT, bool $throughApi = false): array
    {
        $clientId = $throughApi ? $this->whmcs->addClientThroughApi($client) : $this->whmcs->addClient($client);
        self::assertGreaterThan(0, $clientId, 'the client is added');
        if ($point === 'ClientAdd') {
            return [$clientId, null];
        }
        $productId = $this->whmcs->addProduct('Web Hosting', [], ['servertype' => '']);
        $orderId = $this->whmcs->placeOrder($clientId, $productId);
        self::assertSame('success', $this->whmcs->acceptOrder($orderId));
        return [$clientId, $orderId];
    }

    /** The error log of the installation's admin folder now. */
    protected static function errorLogPath(): string
    {
        return ROOTDIR . '/' . WhmcsTree::adminFolder(ROOTDIR) . '/whmcs_error.log';
    }

    /** @return list<string> the lines PATH gained during this test */
    protected function newErrorLines(?string $path = null): array
    {
        $path ??= self::errorLogPath();
        return array_values(array_slice(self::lines($path), count($this->errorLogBefore[$path] ?? [])));
    }

    /** @return list<array{message: string, clientId: int}> the Activity Log lines of sgwhmcs */
    protected function hookActivity(): array
    {
        return array_values(array_filter(
            $this->whmcs->activity(),
            fn (array $line): bool => str_starts_with($line['message'], 'sgwhmcs ')
        ));
    }

    /**
     * Asserts the one failure report of a HOOK for client CLIENT_ID: exactly one new line in
     * whmcs_error.log of the admin folder, `<UTC time> <HOOK> client <id>: <message>` with CAUSE
     * (a regular expression) in the message and no secret, and one Activity Log line for the
     * client saying the same. Returns the message.
     *
     * @param list<string> $secrets
     */
    protected function assertFailureReported(string $hook, int $clientId, string $cause, array $secrets = []): string
    {
        $secrets = array_merge($secrets, [$this->sim->password, self::CLIENT['password']]);
        $lines = $this->newErrorLines();
        self::assertCount(1, $lines, 'one new line in ' . self::errorLogPath() . ': ' . implode("\n", $lines));
        if (WhmcsTree::adminFolder(ROOTDIR) !== 'admin') {
            self::assertSame([], $this->newErrorLines(ROOTDIR . '/admin/whmcs_error.log'), 'nothing in admin/');
        }
        $pattern = '/^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ) ' . $hook . ' client ' . $clientId . ': (.+)$/';
        self::assertMatchesRegularExpression($pattern, $lines[0]);
        preg_match($pattern, $lines[0], $parts);
        [, $time, $message] = $parts;
        $when = \DateTimeImmutable::createFromFormat('Y-m-d\TH:i:s\Z', $time, new \DateTimeZone('UTC'));
        self::assertNotFalse($when, $time);
        self::assertEqualsWithDelta(time(), $when->getTimestamp(), 120, 'the line has the time in UTC');
        self::assertMatchesRegularExpression($cause, $message, 'the line names the cause');
        foreach (array_filter($secrets) as $secret) {
            self::assertStringNotContainsString($secret, $lines[0], 'no password in whmcs_error.log');
        }

        $activity = $this->hookActivity();
        self::assertCount(1, $activity, 'one Activity Log line');
        self::assertSame($clientId, $activity[0]['clientId'], 'the Activity Log line is for the client');
        self::assertSame("sgwhmcs $hook failed: $message", $activity[0]['message']);
        return $message;
    }

    /** Asserts one success line in the Activity Log for CLIENT_ID naming ACCOUNT, and no error line. */
    protected function assertSuccessReported(string $hook, int $clientId, string $noun, string $account): void
    {
        $activity = $this->hookActivity();
        self::assertCount(1, $activity, 'one Activity Log line');
        self::assertSame($clientId, $activity[0]['clientId']);
        self::assertStringStartsWith(
            "sgwhmcs $hook: $noun \"$account\" is on the Backup Server",
            $activity[0]['message']
        );
        self::assertSame([], $this->newErrorLines(), 'nothing in whmcs_error.log');
    }

    /** @return list<string> */
    private static function lines(string $path): array
    {
        if (!is_file($path)) {
            return [];
        }
        return array_values(array_filter(explode("\n", (string) file_get_contents($path)), 'strlen'));
    }

    private static function replaceOnce(string $source, string $pattern, string $replacement, string $what): string
    {
        $count = 0;
        $result = (string) preg_replace_callback($pattern, fn (): string => $replacement, $source, -1, $count);
        self::assertSame(1, $count, $what);
        return $result;
    }
}
