<?php

/**
 * One emulated WHMCS installation: its data (also reached through Capsule), its logs, and the
 * flows a person uses in the admin area (configure a product, add a server, add a client, place
 * and accept an order, suspend, unsuspend, terminate, Test Connection, send an email). Module
 * functions are called the way WHMCS calls them: `call_user_func('<module>_<Function>', $params)`,
 * with `$params` from ParamsBuilder. Hooks (ClientAdd, AcceptOrder, EmailPreSend) run where WHMCS
 * runs them.
 *
 * As strict as WHMCS 8 (docs/whmcs-compatibility.md, "Behaviours of a real WHMCS 8"): what a
 * person types is stored HTML-encoded; a username and a password are generated before
 * CreateAccount unless MetaData opts out; TestConnection gets serverid 0 and the page drops
 * `error` on success; accepting without "Run Module Create" makes services Active; a module's
 * hooks.php is loaded only when a product uses the module; the Module Log records only while
 * switched on. General Settings are in setting().
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Emulator;

final class Whmcs
{
    private Store $store;
    private LocalApi $api;
    private ParamsBuilder $params;
    private ModuleLog $moduleLog;
    private Hooks $hooks;
    private Database $database;
    private Mailer $mailer;
    private UsageBilling $usageBilling;
    private ServerSync $serverSync;
    private ?ClientArea $clientArea = null;
    private ServiceChanges $serviceChanges;
    private AdminScreens $adminScreens;

    /** @var list<array{message: string, clientId: int}> */
    private array $activity = [];

    /** @var list<array<string, mixed>> the emails sent (or aborted by a hook), in order */
    private array $emails = [];

    /** @var list<string> passwords the installed hook files hold (for the secrets check) */
    private array $hookSecrets = [];

    /** @var array<string, mixed>|null what is known about the module call running now */
    private ?array $callContext = null;

    /** @var array<string, array<string, mixed>>|null ConfigOptions() as the product page shows it */
    private ?array $configOptions = null;

    /** @var array<string, mixed>|null MetaData() of the module */
    private ?array $metaData = null;

    /** What the Test Connection page showed last ('' before any test). */
    private string $testConnectionShown = '';

    public function __construct(public readonly string $module)
    {
        $this->store = new Store();
        $this->api = new LocalApi($this->store);
        $this->params = new ParamsBuilder($this->store, $this->api, $module, fn (): array => $this->metaData());
        $this->moduleLog = new ModuleLog();
        $this->hooks = new Hooks();
        $this->database = new Database($this->store);
        $this->mailer = new Mailer($this->store, $this->api);
        $this->mailer->seed();
        $this->usageBilling = new UsageBilling($this, $this->store, $this->params);
        $this->serverSync = new ServerSync($this, $this->store, $this->params, $this->usageBilling);
        $this->serviceChanges = new ServiceChanges($this, $this->store, $this->params);
        $this->adminScreens = new AdminScreens($this, $this->store, $this->params);
        ModuleLibLoader::register();
    }

    /** A new, empty installation running MODULE, which the host functions now talk to. */
    public static function fresh(string $module): self
    {
        $whmcs = new self($module);
        Host::use($whmcs);
        return $whmcs;
    }

    // ---- General Settings -------------------------------------------------------------------

    /**
     * Sets the General Setting NAME (tblconfiguration) to VALUE, as the admin does in Setup.
     * Reproduced: `GenerateRandomUsername` ("Enable Random Usernames", default off),
     * `ModuleDebugMode` (Utilities › Logs › Module Log › Enable Debug Logging, default off),
     * `UpdateStatsAuto` (Automation Settings › "Update Usage Statistics", default on).
     */
    public function setting(string $name, mixed $value): void
    {
        if ($this->store->setting($name) === null) {
            throw new \InvalidArgumentException("the emulator does not reproduce the setting $name");
        }
        $this->store->setSetting($name, is_bool($value) ? ($value ? 'on' : '') : (string) $value);
    }

    /** The value of General Setting NAME, as tblconfiguration holds it (yes/no: 'on' or ''). */
    public function settingValue(string $name): string
    {
        return $this->store->setting($name) ?? throw new \InvalidArgumentException("no setting $name");
    }

    /** Switches the Module Log on or off (WHMCS ships with it off). */
    public function enableModuleLog(bool $on = true): void
    {
        $this->setting('ModuleDebugMode', $on);
    }

    // ---- what the host functions reach ------------------------------------------------------

    public function recordModuleCall(
        mixed $module,
        mixed $action,
        mixed $request,
        mixed $response,
        mixed $processed,
        mixed $replaceVars
    ): void {
        if (empty($this->store->setting('ModuleDebugMode'))) {
            return;
        }
        $context = $this->callContext ?? ['function' => null, 'passwords' => []];
        $entry = $this->moduleLog->record($module, $action, $request, $response, $processed, $replaceVars, $context);
        Evidence::$moduleLog[] = $entry;
    }

    public function recordActivity(string $message, int $clientId): void
    {
        $this->activity[] = ['message' => $message, 'clientId' => $clientId];
        Evidence::$activity[] = $message;
    }

    public function localApi(): LocalApi
    {
        return $this->api;
    }

    public function hooks(): Hooks
    {
        return $this->hooks;
    }

    /** The tables `WHMCS\Database\Capsule` reaches. */
    public function database(): Database
    {
        return $this->database;
    }

    public function moduleLog(): ModuleLog
    {
        return $this->moduleLog;
    }

    /** @return list<array{message: string, clientId: int}> */
    public function activity(): array
    {
        return $this->activity;
    }

    /** The client area of this installation (ROOTDIR's module files), made on first use. */
    public function clientArea(): ClientArea
    {
        return $this->clientArea ??= new ClientArea($this, ROOTDIR);
    }

    public function store(): Store
    {
        return $this->store;
    }

    /**
     * Tells the emulator a password an installed hooks file holds (e.g. the Backup Server admin
     * password of whmcsHooks.php, or that of the WHMCS server its `$sgwhmcsServerId` names):
     * Module Log entries written while hooks run must ask WHMCS to scrub it, and it must appear
     * nowhere (the secrets check).
     */
    public function knowHookSecret(string $secret): void
    {
        if ($secret !== '') {
            $this->hookSecrets[] = $secret;
            Evidence::addSecret($secret);
        }
    }

    /**
     * Runs the hooks of POINT with VARS, as WHMCS does at that point; returns what they returned.
     *
     * @param array<string, mixed> $vars
     * @return list<mixed>
     */
    public function runHooks(string $point, array $vars): array
    {
        $previous = $this->callContext;
        $this->callContext = ['function' => "$point hook", 'passwords' => $this->hookSecrets];
        try {
            return $this->hooks->run($point, $vars);
        } finally {
            $this->callContext = $previous;
        }
    }

    /**
     * What WHMCS does on each page load: includes every includes/hooks/*.php (not those starting
     * with `_`) and the modules/servers/<name>/hooks.php of each module in the ModuleHooks cache
     * (the modules some product uses, rebuilt when a product is saved:
     * rebuildModuleHookCache() in WHMCS 8), registering their hooks.
     *
     * @return list<string> the files included
     */
    public function loadHookFiles(string $root): array
    {
        $modules = array_filter(explode(',', (string) $this->store->setting('ModuleHooks')));
        $files = array_merge(
            array_filter(
                glob($root . '/includes/hooks/*.php') ?: [],
                fn (string $file): bool => !str_starts_with(basename($file), '_')
            ),
            array_filter(
                array_map(fn (string $module): string => "$root/modules/servers/$module/hooks.php", $modules),
                'is_file'
            )
        );
        foreach ($files as $file) {
            include $file;
        }
        return array_values($files);
    }

    /** WHMCS's rebuildModuleHookCache(), run when a product is saved: the modules products use. */
    private function rebuildModuleHookCache(): void
    {
        $inUse = array_unique(array_filter(array_map(
            fn (array $product): string => (string) $product['servertype'],
            $this->store->products
        )));
        sort($inUse);
        $this->store->setSetting('ModuleHooks', implode(',', $inUse));
    }

    // ---- calling the module -----------------------------------------------------------------

    /**
     * The module's MetaData() (called once).
     *
     * @return array<string, mixed>
     */
    public function metaData(): array
    {
        if ($this->metaData === null) {
            $meta = function_exists($this->module . '_MetaData') ? $this->call('MetaData') : [];
            $this->metaData = is_array($meta) ? $meta : [];
        }
        return $this->metaData;
    }

    /**
     * Calls `<module>_<FUNCTION>` like WHMCS (with PARAMS, or no argument when PARAMS is null)
     * and records what it returned.
     *
     * @param array<string, mixed>|null $params
     */
    public function call(string $function, ?array $params = null): mixed
    {
        $name = $this->module . '_' . $function;
        if (!function_exists($name)) {
            throw new \LogicException("the module file defines no $name()");
        }
        $result = $this->inCall(
            $function,
            $params ?? [],
            fn (): mixed => $params === null ? call_user_func($name) : call_user_func($name, $params)
        );
        // An object (MetricProvider's provider) is named, not dumped: WHMCS keeps it, it does not
        // log it, and it may hold the server params with their password.
        Evidence::$returns[] = [
            'function' => $function,
            'returned' => is_object($result) ? get_class($result) : ModuleLog::render($result),
        ];
        return $result;
    }

    /**
     * Runs RUN as part of module function FUNCTION called with PARAMS: Module Log entries written
     * meanwhile belong to that call and must ask WHMCS to scrub its passwords. Also used for the
     * provider's methods, which WHMCS calls after MetricProvider returned.
     *
     * @param array<string, mixed> $params
     */
    public function inCall(string $function, array $params, callable $run): mixed
    {
        $passwords = array_values(array_filter([
            (string) ($params['configoption5'] ?? ''),
            (string) ($params['serverpassword'] ?? ''),
        ], fn (string $p): bool => $p !== ''));
        $previous = $this->callContext;
        $this->callContext = ['function' => $function, 'passwords' => $passwords];
        try {
            return $run();
        } finally {
            $this->callContext = $previous;
        }
    }

    /**
     * The product's Module Settings fields, as `ConfigOptions()` declares them.
     *
     * @return array<string, array<string, mixed>>
     */
    public function configOptions(): array
    {
        if ($this->configOptions === null) {
            $options = $this->call('ConfigOptions');
            if (!is_array($options)) {
                throw new \LogicException('ConfigOptions() did not return an array');
            }
            $this->configOptions = $options;
        }
        return $this->configOptions;
    }

    /** @return array<string, mixed> the params WHMCS would pass for SERVICE now */
    public function serviceParams(int $serviceId): array
    {
        return $this->params->forService($serviceId);
    }

    // ---- setup: servers, products, clients --------------------------------------------------

    /**
     * Setup › Servers › Add New Server. FIELDS: name, hostname, ipaddress, username, password,
     * accesshash, secure (bool or 'on'), port, type (the server's Module: this module unless
     * given). A new server is enabled (`disabled` 0, as WHMCS's column default).
     *
     * @param array<string, mixed> $fields
     */
    public function addServer(array $fields): int
    {
        $id = $this->store->nextId('servers');
        $this->store->servers[$id] = self::serverRow($fields, (string) ($fields['type'] ?? $this->module));
        Evidence::addSecret((string) ($fields['password'] ?? ''));
        return $id;
    }

    /**
     * Products/Services › create product › Module Settings › pick the module, fill the fields
     * (SETTINGS by label or by position 1..24; the rest keep the defaults the form shows), save.
     * EXTRA: servers (ids of the product's server group), configurableoptions (name => default),
     * customfields (names of product custom fields: Text Box fields, see
     * addProductCustomField()), servertype (the module, default this one; '' for none),
     * welcomeemail (the name of a product email template; default none).
     *
     * @param array<int|string, mixed> $settings
     * @param array<string, mixed> $extra
     */
    public function addProduct(string $name, array $settings = [], array $extra = []): int
    {
        $id = $this->store->nextId('products');
        $product = [
            'id' => $id,
            'name' => $name,
            'type' => 'other',
            'servertype' => (string) ($extra['servertype'] ?? $this->module),
            'servers' => array_map('intval', $extra['servers'] ?? []),
            'configurableoptions' => $extra['configurableoptions'] ?? [],
            'autosetup' => 'order',
            'welcomeemail' => isset($extra['welcomeemail'])
                ? (int) $this->store->emailTemplate((string) $extra['welcomeemail'])['id']
                : 0,
        ];
        $position = 0;
        foreach ($this->configOptions() as $field) {
            $position++;
            $product['configoption' . $position] = self::defaultValue($field);
        }
        for ($i = $position + 1; $i <= 24; $i++) {
            $product['configoption' . $i] = '';
        }
        $this->store->products[$id] = $product;
        foreach ($extra['customfields'] ?? [] as $fieldName) {
            $this->addProductCustomField($id, (string) $fieldName);
        }
        $this->configureProduct($id, $settings);
        $this->rebuildModuleHookCache();
        return $id;
    }

    /**
     * Changes some Module Settings of a product, by label or by position (1..24), and saves.
     *
     * @param array<int|string, mixed> $settings
     */
    public function configureProduct(int $productId, array $settings): void
    {
        $this->store->product($productId);
        foreach ($settings as $key => $value) {
            $position = $this->settingPosition($key);
            $text = is_bool($value) ? ($value ? 'on' : '') : (string) $value;
            $this->store->products[$productId]['configoption' . $position] = Html::encode($text);
            if ($position === 5) {
                Evidence::addSecret($text);
            }
        }
        $this->rebuildModuleHookCache();
    }

    /** Products › Details › Welcome Email: the product email template NAME ('' for none). */
    public function setWelcomeEmail(int $productId, string $template): void
    {
        $this->store->product($productId);
        $this->store->products[$productId]['welcomeemail'] = $template === ''
            ? 0
            : (int) $this->store->emailTemplate($template)['id'];
    }

    /** Assigns servers (a server group) to a product. @param list<int> $serverIds */
    public function assignServers(int $productId, array $serverIds): void
    {
        $this->store->product($productId);
        $this->store->products[$productId]['servers'] = $serverIds;
    }

    /**
     * Sets the configurable options of a product (option name, maybe with `|friendly`, => default).
     *
     * @param array<string, string> $options
     */
    public function setConfigurableOptions(int $productId, array $options): void
    {
        $this->store->product($productId);
        $this->store->products[$productId]['configurableoptions'] = $options;
    }

    /**
     * Setup › Custom Client Fields › add a field named NAME; returns its id. OPTIONS (the
     * tblcustomfields columns the form sets): fieldtype ('text', 'password', 'dropdown',
     * 'tickbox', 'textarea', 'link'), regexpr (a PCRE with delimiters, e.g. '/^[0-9]+$/'),
     * required, adminonly, showorder (true or 'on'), description, fieldoptions, sortorder.
     *
     * @param array<string, mixed> $options
     */
    public function addClientCustomField(string $name, array $options = []): int
    {
        $id = $this->store->nextId('tblcustomfields');
        $row = [
            'id' => $id,
            'type' => 'client',
            'relid' => 0,
            'fieldname' => $name,
            'fieldtype' => 'text',
            'description' => '',
            'fieldoptions' => '',
            'regexpr' => '',
            'adminonly' => '',
            'required' => '',
            'showorder' => '',
            'showinvoice' => '',
            'sortorder' => 0,
        ];
        foreach ($options as $column => $value) {
            if (!array_key_exists($column, $row) || in_array($column, ['id', 'type', 'relid'], true)) {
                throw new \InvalidArgumentException("a client custom field has no option $column");
            }
            $row[$column] = is_bool($value) ? ($value ? 'on' : '') : $value;
        }
        $this->store->customFields[$id] = $row;
        return $id;
    }

    /**
     * Products/Services › a product › Custom Fields › add a field named NAME; returns its id.
     * A tblcustomfields row of type 'product' whose relid is the product; its values are per
     * service (tblcustomfieldsvalues, relid the service). OPTIONS as for addClientCustomField():
     * fieldtype, regexpr, required, adminonly, showorder,
     * showinvoice, description, fieldoptions, sortorder.
     *
     * @param array<string, mixed> $options
     */
    public function addProductCustomField(int $productId, string $name, array $options = []): int
    {
        $this->store->product($productId);
        $id = $this->addClientCustomField($name, $options);
        $this->store->customFields[$id]['type'] = 'product';
        $this->store->customFields[$id]['relid'] = $productId;
        return $id;
    }

    /**
     * Clients › Add New Client (fires the ClientAdd hook). DETAILS override the defaults;
     * `customfields` is [field name => value]. What the admin typed is stored HTML-encoded and
     * the hook gets it so; a password-type custom field is stored encrypted. The client gets an
     * owner User (login) whose id differs from the client id; the hook's `password` is '' (only
     * the AddClient API passes one: addClientThroughApi()).
     *
     * @param array<string, mixed> $details
     */
    public function addClient(array $details = []): int
    {
        return $this->createClient($details, false);
    }

    /**
     * localAPI('AddClient', DETAILS) (e.g. from a signup form or another system): like
     * addClient(), but the ClientAdd hook gets the password given.
     *
     * @param array<string, mixed> $details
     */
    public function addClientThroughApi(array $details = []): int
    {
        return $this->createClient($details, true);
    }

    /** The User (login) id that owns CLIENT: a different number from the client id. */
    public function clientUserId(int $clientId): int
    {
        return (int) $this->store->client($clientId)['owner_user_id'];
    }

    /** @param array<string, mixed> $details */
    private function createClient(array $details, bool $throughApi): int
    {
        $id = $this->store->nextId('clients');
        $client = array_merge([
            'firstname' => 'Jane',
            'lastname' => 'Doe',
            'companyname' => '',
            'email' => "jane.doe.$id@example.test",
            'address1' => '1 Main St',
            'address2' => '',
            'city' => 'Springfield',
            'state' => 'IL',
            'postcode' => '62701',
            'country' => 'US',
            'phonecc' => '1',
            'phonenumber' => '5550100',
            'language' => '',
            'status' => 'Active',
            'password' => '',
        ], array_diff_key($details, ['customfields' => true]));
        Evidence::addSecret((string) $client['password']);
        $client = Html::encode($client);
        $userId = $this->store->nextId('users');
        $this->store->users[$userId] = [
            'id' => $userId,
            'email' => $client['email'],
            'first_name' => $client['firstname'],
            'last_name' => $client['lastname'],
        ];
        $client['id'] = $id;
        $client['uuid'] = self::uuid();
        $client['owner_user_id'] = $userId;
        $this->store->clients[$id] = $client;
        $byId = [];
        foreach ($details['customfields'] ?? [] as $fieldName => $value) {
            $fieldId = $this->store->clientFieldId((string) $fieldName)
                ?? throw new \InvalidArgumentException("no client custom field $fieldName");
            $encoded = (string) Html::encode((string) $value);
            $this->store->setClientField($id, $fieldId, $encoded);
            $byId[$fieldId] = $encoded;
        }
        $this->runHooks('ClientAdd', [
            'client_id' => $id,
            'user_id' => $userId,
            'userid' => $id,
            'firstname' => $client['firstname'],
            'lastname' => $client['lastname'],
            'companyname' => $client['companyname'],
            'email' => $client['email'],
            'address1' => $client['address1'],
            'address2' => $client['address2'],
            'city' => $client['city'],
            'state' => $client['state'],
            'postcode' => $client['postcode'],
            'country' => $client['country'],
            'phonenumber' => $client['phonenumber'],
            'tax_id' => '',
            'password' => $throughApi ? $client['password'] : '',
            'customfields' => $byId,
            'notes' => '',
            'groupid' => 0,
        ]);
        return $id;
    }

    // ---- orders and services ----------------------------------------------------------------

    /**
     * The client orders PRODUCT (or, given a list, each of those products in one order).
     * CHOICES (for each service): username (default ''), domain (default ''), password
     * (default: WHMCS generates one, 14 characters with 2 symbols; '' for none), configoptions
     * (name => value), customfields (name => value); what the client typed is stored
     * HTML-encoded. Makes a Pending order with one Pending service per product (tblhosting.orderid
     * names the order, as in WHMCS). Returns the order id.
     *
     * @param int|list<int> $productId
     * @param array<string, mixed> $choices
     */
    public function placeOrder(int $clientId, int|array $productId, array $choices = []): int
    {
        $this->store->client($clientId);
        $orderId = $this->store->nextId('orders');
        $serviceIds = [];
        foreach (is_array($productId) ? $productId : [$productId] as $oneProduct) {
            $serviceIds[] = $this->placeService($clientId, (int) $oneProduct, $orderId, $choices);
        }
        $this->store->orders[$orderId] = [
            'id' => $orderId,
            'ordernum' => (string) random_int(1000000000, 9999999999),
            'userid' => $clientId,
            'date' => date('Y-m-d H:i:s'),
            'status' => 'Pending',
            'services' => $serviceIds,
        ];
        return $orderId;
    }

    /**
     * One Pending service of PRODUCT for CLIENT in ORDER (placeOrder()'s CHOICES); returns its id.
     *
     * @param array<string, mixed> $choices
     */
    private function placeService(int $clientId, int $productId, int $orderId, array $choices): int
    {
        $product = $this->store->product($productId);
        $serviceId = $this->store->nextId('services');
        $password = array_key_exists('password', $choices)
            ? (string) Html::encode((string) $choices['password'])
            : self::generatePassword();
        Evidence::addSecret((string) ($choices['password'] ?? $password));
        $this->store->services[$serviceId] = [
            'id' => $serviceId,
            'userid' => $clientId,
            'orderid' => $orderId,
            'packageid' => $productId,
            'server' => $product['servers'][0] ?? 0,
            'username' => (string) Html::encode((string) ($choices['username'] ?? '')),
            'password' => $password,
            'domain' => (string) Html::encode((string) ($choices['domain'] ?? '')),
            'domainstatus' => 'Pending',
            'configoptions' => array_merge(
                $product['configurableoptions'],
                Html::encode($choices['configoptions'] ?? [])
            ),
            'regdate' => date('Y-m-d'),
            'diskusage' => '0',
            'disklimit' => '0',
        ];
        foreach ($choices['customfields'] ?? [] as $fieldName => $value) {
            $fieldId = $this->store->productFieldId($productId, (string) $fieldName)
                ?? throw new \InvalidArgumentException("product $productId has no custom field $fieldName");
            $this->store->setServiceField($serviceId, $fieldId, (string) Html::encode((string) $value));
        }
        return $serviceId;
    }

    /** @return list<int> the services of ORDER */
    public function orderServices(int $orderId): array
    {
        return $this->store->order($orderId)['services'];
    }

    /** The one service of ORDER. */
    public function orderService(int $orderId): int
    {
        return $this->orderServices($orderId)[0];
    }

    /**
     * Orders › Accept Order. Fires AcceptOrder with `['orderid' => id]` first, before anything
     * is created; marks the order Active and, with "Run Module Create" ticked, creates each
     * service of a product of this module (a product without a module just becomes Active);
     * without it, every service becomes Active and no module function runs;
     * with "Send Welcome Email" ticked, sends the product's welcome email for each service
     * created. Returns what the admin sees: "success" when every creation succeeded, else the
     * modules' error strings.
     */
    public function acceptOrder(int $orderId, bool $runModuleCreate = true, bool $sendWelcomeEmail = true): string
    {
        $this->store->order($orderId);
        $this->runHooks('AcceptOrder', ['orderid' => $orderId]);
        $this->store->orders[$orderId]['status'] = 'Active';
        if (!$runModuleCreate) {
            foreach ($this->orderServices($orderId) as $serviceId) {
                $this->store->services[$serviceId]['domainstatus'] = 'Active';
            }
            return 'success';
        }
        $errors = [];
        foreach ($this->orderServices($orderId) as $serviceId) {
            $product = $this->store->product($this->store->service($serviceId)['packageid']);
            if ($product['servertype'] !== $this->module) {
                $this->store->services[$serviceId]['domainstatus'] = 'Active';
                $result = 'success';
            } else {
                $result = $this->createAccount($serviceId);
            }
            if ($result !== 'success') {
                $errors[] = $result;
            } elseif ($sendWelcomeEmail && $product['welcomeemail'] > 0) {
                $this->sendEmail($this->store->emailTemplates[$product['welcomeemail']]['name'], $serviceId);
            }
        }
        return $errors === [] ? 'success' : implode("\n", $errors);
    }

    // ---- email --------------------------------------------------------------------------------

    /**
     * Setup › Email Templates › edit (or create) template NAME: its message (and subject).
     * TYPE is 'product' (about a service) or 'general' (about a client). Returns its id.
     */
    public function editEmailTemplate(
        string $name,
        string $message,
        string $type = 'product',
        string $subject = 'Your account'
    ): int {
        return $this->mailer->save($name, $type, $subject, $message);
    }

    /**
     * Sends email template TEMPLATE about RELID (a service id for a product template, a client
     * id for a general one), as WHMCS does: builds the merge fields, runs the EmailPreSend hooks
     * with `messagename`, `relid` and `mergefields` (an array a hook returns is merged into the
     * merge fields; `abortsend` true stops the email), then renders subject and message.
     *
     * @return array<string, mixed> the email: template, relid, to, subject, message, mergefields, sent
     */
    public function sendEmail(string $template, int $relid): array
    {
        $row = $this->store->emailTemplate($template);
        $fields = $this->mailer->mergeFields($row, $relid);
        $sent = true;
        $vars = ['messagename' => $template, 'relid' => $relid, 'mergefields' => $fields];
        foreach ($this->runHooks('EmailPreSend', $vars) as $returned) {
            if (!is_array($returned)) {
                continue;
            }
            if (!empty($returned['abortsend'])) {
                $sent = false;
            }
            $fields = array_replace($fields, array_diff_key($returned, ['abortsend' => true]));
        }
        $email = [
            'template' => $template,
            'relid' => $relid,
            'to' => (string) $fields['client_email'],
            'subject' => Mailer::render((string) $row['subject'], $fields),
            'message' => Mailer::render((string) $row['message'], $fields),
            'mergefields' => $fields,
            'sent' => $sent,
        ];
        $this->emails[] = $email;
        return $email;
    }

    /** @return list<array<string, mixed>> every email sendEmail() handled, in order */
    public function emails(): array
    {
        return $this->emails;
    }

    /**
     * The admin's Create button (or Run Module Create): Active only on "success". First, as
     * WHMCS 8's ModuleCallFunction('Create') does unless MetaData() says
     * 'AutoGenerateUsernameAndPassword' => false: a service without a username gets one
     * (createServerUsername(): 8 random lowercase letters with "Enable Random Usernames" on,
     * else the first 8 letters of its domain, '' without a domain) and one without a password
     * gets a generated one (14 characters, 2 of them symbols), both stored on the service before
     * the module runs.
     */
    public function createAccount(int $serviceId): string
    {
        if (($this->metaData()['AutoGenerateUsernameAndPassword'] ?? null) !== false) {
            $service = $this->store->service($serviceId);
            if ((string) $service['username'] === '') {
                $this->store->services[$serviceId]['username'] = $this->createServerUsername(
                    (string) $service['domain']
                );
            }
            if ((string) $service['password'] === '') {
                $password = self::generatePassword();
                Evidence::addSecret($password);
                $this->store->services[$serviceId]['password'] = $password;
            }
        }
        return $this->serviceAction($serviceId, 'CreateAccount', 'Active');
    }

    /**
     * WHMCS's createServerUsername(DOMAIN): 8 random lowercase letters with "Enable Random
     * Usernames" on; else the domain's letters, first 8, with a number replacing the end while
     * another service has it; '' without a domain.
     */
    public function createServerUsername(string $domain): string
    {
        $taken = fn (string $name): bool => in_array(
            $name,
            array_map(fn (array $service): string => (string) $service['username'], $this->store->services),
            true
        );
        if (!empty($this->store->setting('GenerateRandomUsername'))) {
            do {
                $username = '';
                for ($i = 0; $i < 8; $i++) {
                    $username .= chr(random_int(ord('a'), ord('z')));
                }
            } while ($taken($username));
            return $username;
        }
        if ($domain === '') {
            return '';
        }
        $base = substr((string) preg_replace('/[^a-z]/', '', strtolower($domain)), 0, 8);
        $username = $base;
        for ($suffix = 1; $taken($username) && $suffix < 100; $suffix++) {
            $username = substr($base, 0, 8 - strlen((string) $suffix)) . $suffix;
        }
        return $username;
    }

    public function suspend(int $serviceId, string $reason = 'Overdue on Payment'): string
    {
        return $this->serviceAction($serviceId, 'SuspendAccount', 'Suspended', ['suspendreason' => $reason]);
    }

    public function unsuspend(int $serviceId): string
    {
        return $this->serviceAction($serviceId, 'UnsuspendAccount', 'Active');
    }

    /**
     * Terminates SERVICE: the usage so far is collected first (UsageBilling::beforeTermination():
     * tenantUsage() under catch (\Exception) only, so an \Error stops the termination), then
     * TerminateAccount.
     */
    public function terminate(int $serviceId): string
    {
        $this->usageBilling->beforeTermination($serviceId);
        return $this->serviceAction($serviceId, 'TerminateAccount', 'Terminated');
    }

    /** @return array<string, mixed> the tblhosting row of SERVICE */
    public function service(int $serviceId): array
    {
        return $this->store->service($serviceId);
    }

    /**
     * Setup › Servers › edit a saved server › Test Connection. WHMCS builds a NEW, unsaved server
     * object from the form, so the module gets serverid 0 here too.
     *
     * @return mixed what TestConnection returned (testConnectionShown(): what the page showed)
     */
    public function testConnection(int $serverId): mixed
    {
        return $this->runTestConnection($this->store->server($serverId));
    }

    /**
     * Test Connection on a server form not saved yet (serverid 0).
     *
     * @param array<string, mixed> $fields as for addServer()
     */
    public function testUnsavedServer(array $fields): mixed
    {
        Evidence::addSecret((string) ($fields['password'] ?? ''));
        return $this->runTestConnection(self::serverRow($fields, $this->module));
    }

    /**
     * What the Test Connection page showed for the last test: "Successful!" when the module
     * answered `success` true, whatever `error` said (WHMCS discards it then); else
     * "Failed: <error>".
     */
    public function testConnectionShown(): string
    {
        return $this->testConnectionShown;
    }

    /** @param array<string, mixed> $row */
    private function runTestConnection(array $row): mixed
    {
        $result = $this->call('TestConnection', $this->params->forServer($row));
        if (is_array($result) && !empty($result['success'])) {
            $this->testConnectionShown = 'Successful!';
        } else {
            $error = is_array($result) ? (string) ($result['error'] ?? '') : '';
            $this->testConnectionShown = 'Failed: ' . ($error !== '' ? $error : 'An unknown error occurred');
        }
        return $result;
    }

    // ---- cron: usage --------------------------------------------------------------------------

    /**
     * The Usage Billing cron task (TenantUsageMetrics): each enabled server's MetricProvider,
     * usage() once per server, tenants matched by ListAccountsUniqueIdentifierField (UsageBilling).
     *
     * @return array<int, int> server id => how many services got metrics
     */
    public function runUsageCron(): array
    {
        return $this->usageBilling->runCron();
    }

    /**
     * The metrics stored for SERVICE by the last cron or refresh: system name => value, type, unit,
     * displayName.
     *
     * @return array<string, array{value: int|float, type: string, unit: string, displayName: string}>
     */
    public function serviceMetrics(int $serviceId): array
    {
        return $this->usageBilling->serviceMetrics($serviceId);
    }

    /**
     * The service page's metrics refresh: tenantUsage() of SERVICE's tenant.
     *
     * @return array<string, array{value: int|float, type: string, unit: string, displayName: string}>
     */
    public function refreshTenantUsage(int $serviceId): array
    {
        return $this->usageBilling->refreshTenant($serviceId);
    }

    /** The usage billing state (unmatched tenants, usage() calls per server). */
    public function usageBilling(): UsageBilling
    {
        return $this->usageBilling;
    }

    /**
     * The daily cron's "Server Usage Stats" task, then the end of the daily run: `<module>_UsageUpdate`
     * once per enabled server of the module (never per product or service; products without a server
     * are never asked), with the server's params only: serverid, serverip, serverhostname,
     * serverusername, serverpassword, serveraccesshash, serversecure, serverport, serverhttpprefix
     * (https://developers.whmcs.com/provisioning-modules/usage-update). The module writes
     * tblhosting.diskusage / disklimit / lastupdate itself through Capsule. Then the DailyCronJob
     * hooks run, with no vars ("Runs at the very end of the daily automation cron execution":
     * https://developers.whmcs.com/hooks-reference/cron/#dailycronjob).
     *
     * The task runs only while Automation Settings › "Update Usage Statistics" is on
     * (https://docs.whmcs.com/Automation_Settings; tblconfiguration `UpdateStatsAuto`, 'on' in a
     * fresh install): WHMCS tests the value's PHP truth, so '' , '0' or no row at all is off
     * (observed in WHMCS 8.12). DailyCronJob runs either way.
     *
     * @return array<int, mixed> server id => what UsageUpdate returned
     */
    public function runUsageUpdate(): array
    {
        $results = [];
        if ((bool) $this->store->setting('UpdateStatsAuto') && function_exists($this->module . '_UsageUpdate')) {
            foreach ($this->store->servers as $serverId => $server) {
                if ($server['type'] !== $this->module || !empty($server['disabled'])) {
                    continue;
                }
                $params = ['serverid' => $serverId] + Html::decode($this->params->serverFields($server));
                $results[$serverId] = $this->call('UsageUpdate', $params);
            }
        }
        $this->runHooks('DailyCronJob', []);
        return $results;
    }

    /** Setup › Servers › disable (or enable) SERVER: disabled servers are skipped by the crons. */
    public function disableServer(int $serverId, bool $disabled = true): void
    {
        $this->store->server($serverId);
        $this->store->servers[$serverId]['disabled'] = $disabled ? 1 : 0;
    }

    // ---- server sync --------------------------------------------------------------------------

    /**
     * Setup › Servers › Sync Accounts for SERVER (ServerSync): ListAccounts, its answer checked,
     * compared with the server's services.
     *
     * @return array{error: string, matched: array<string, int>, importable: list<string>, missing: list<int>,
     *     exact: list<string>, differs: array<string, list<string>>}
     */
    public function serverSync(int $serverId): array
    {
        return $this->serverSync->sync($serverId);
    }

    /**
     * Imports listed account UNIQUE_ID of SERVER as WHMCS does, with no client or product choice:
     * client by e-mail, product by ListAccountsProductField (ServerSync::import()).
     */
    public function importAccount(int $serverId, string $uniqueId): int
    {
        return $this->serverSync->import($serverId, $uniqueId);
    }

    // ---- upgrades, passwords, client edits ----------------------------------------------------

    /** Upgrade/downgrade SERVICE to NEW_PRODUCT (stored first, then ChangePackage; no rollback). */
    public function upgradeProduct(int $serviceId, int $newProductId): string
    {
        return $this->serviceChanges->upgradeProduct($serviceId, $newProductId);
    }

    /**
     * Changes configurable options of SERVICE (stored first, then ChangePackage; no rollback).
     *
     * @param array<string, string|int> $choices option name (full or before `|`) => value
     */
    public function changeConfigurableOptions(int $serviceId, array $choices): string
    {
        return $this->serviceChanges->changeConfigurableOptions($serviceId, $choices);
    }

    /** Stores PASSWORD on SERVICE, then ChangePassword (the new password stays on failure). */
    public function changePassword(int $serviceId, string $password): string
    {
        return $this->serviceChanges->changePassword($serviceId, $password);
    }

    /**
     * The client area's Change Password of CLIENT's Active SERVICE: on failure WHMCS puts the old
     * stored password back and shows only its own words (ServiceChanges::clientChangePassword).
     */
    public function clientChangePassword(int $clientId, int $serviceId, string $password): string
    {
        return $this->serviceChanges->clientChangePassword($clientId, $serviceId, $password);
    }

    /**
     * Clients › Profile › Save CHANGES on CLIENT: stored HTML-encoded, then ClientEdit with
     * `userid`, the fields and `olddata`.
     *
     * @param array<string, string> $changes
     */
    public function editClient(int $clientId, array $changes): void
    {
        $this->serviceChanges->editClient($clientId, $changes);
    }

    /** The admin's service page (module tab, buttons), Loader fields and server links. */
    public function adminScreens(): AdminScreens
    {
        return $this->adminScreens;
    }

    // ---- helpers ----------------------------------------------------------------------------

    /**
     * Runs FUNCTION for SERVICE; on "success" WHMCS sets the status to STATUS.
     *
     * @param array<string, mixed> $extraParams
     */
    private function serviceAction(int $serviceId, string $function, string $status, array $extraParams = []): string
    {
        $result = $this->call($function, $this->params->forService($serviceId) + $extraParams);
        if (!is_string($result)) {
            throw new \UnexpectedValueException("$function returned " . get_debug_type($result) . ', not a string');
        }
        if ($result === 'success') {
            $this->store->services[$serviceId]['domainstatus'] = $status;
        }
        return $result;
    }

    private function settingPosition(int|string $key): int
    {
        if (is_int($key)) {
            if ($key < 1 || $key > 24) {
                throw new \InvalidArgumentException("no Module Settings position $key");
            }
            return $key;
        }
        $position = 0;
        foreach ($this->configOptions() as $label => $field) {
            $position++;
            if ($label === $key || ($field['FriendlyName'] ?? null) === $key) {
                return $position;
            }
        }
        throw new \InvalidArgumentException("ConfigOptions() has no field labelled \"$key\"");
    }

    /**
     * The value the Module Settings form saves for FIELD when the admin leaves it alone.
     *
     * @param array<string, mixed> $field
     */
    private static function defaultValue(array $field): string
    {
        $default = $field['Default'] ?? '';
        switch ($field['Type'] ?? 'text') {
            case 'yesno':
                return in_array(strtolower((string) $default), ['on', 'yes', '1', 'true'], true) ? 'on' : '';
            case 'dropdown':
            case 'radio':
                if ((string) $default !== '') {
                    return (string) $default;
                }
                $options = $field['Options'] ?? '';
                $values = is_array($options) ? array_keys($options) : explode(',', (string) $options);
                return (string) ($values[0] ?? '');
            default:
                return (string) $default;
        }
    }

    /**
     * @param array<string, mixed> $fields
     * @return array<string, mixed>
     */
    private static function serverRow(array $fields, string $module): array
    {
        $secure = $fields['secure'] ?? false;
        return Html::encode([
            'name' => (string) ($fields['name'] ?? 'Backup Server'),
            'hostname' => (string) ($fields['hostname'] ?? ''),
            'ipaddress' => (string) ($fields['ipaddress'] ?? ''),
            'username' => (string) ($fields['username'] ?? ''),
            'password' => (string) ($fields['password'] ?? ''),
            'accesshash' => (string) ($fields['accesshash'] ?? ''),
            'secure' => ($secure === true || $secure === 'on') ? 'on' : '',
            'port' => isset($fields['port']) ? (string) $fields['port'] : '',
            'type' => $module,
            'active' => 1,
            'disabled' => 0,
        ]);
    }

    /** Symbols WHMCS's generated passwords draw from. */
    public const PASSWORD_SYMBOLS = '!@#$%^&*()-_=+[]{}?';

    /**
     * A password as WHMCS 8 generates for a service (WHMCS\Module\Server::generateRandomPassword):
     * 14 characters, 12 letters and digits (each kind at least once) and 2 symbols, shuffled.
     */
    public static function generatePassword(): string
    {
        $pick = fn (string $alphabet): string => $alphabet[random_int(0, strlen($alphabet) - 1)];
        $chars = [$pick('ABCDEFGHJKLMNPQRSTUVWXYZ'), $pick('abcdefghijkmnopqrstuvwxyz'), $pick('23456789')];
        while (count($chars) < 12) {
            $chars[] = $pick('ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789');
        }
        $chars[] = $pick(self::PASSWORD_SYMBOLS);
        $chars[] = $pick(self::PASSWORD_SYMBOLS);
        for ($i = count($chars) - 1; $i > 0; $i--) {
            $j = random_int(0, $i);
            [$chars[$i], $chars[$j]] = [$chars[$j], $chars[$i]];
        }
        return implode('', $chars);
    }

    private static function uuid(): string
    {
        $bytes = random_bytes(16);
        $bytes[6] = chr((ord($bytes[6]) & 0x0f) | 0x40);
        $bytes[8] = chr((ord($bytes[8]) & 0x3f) | 0x80);
        return vsprintf('%s%s-%s-%s-%s-%s%s%s', str_split(bin2hex($bytes), 4));
    }
}
