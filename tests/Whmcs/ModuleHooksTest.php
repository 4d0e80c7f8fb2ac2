<?php

/**
 * WHMCS 8 includes a module's own modules/servers/<name>/hooks.php only when some product uses
 * the module: the ModuleHooks setting, rebuilt when a product is saved (rebuildModuleHookCache()
 * in includes/modulefunctions.php). includes/hooks/*.php are always included.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Whmcs;

use PHPUnit\Framework\TestCase;
use SgWhmcs\Tests\Emulator\Whmcs;
use SgWhmcs\Tests\Emulator\WhmcsTree;

final class ModuleHooksTest extends TestCase
{
    private string $root;
    private Whmcs $whmcs;

    protected function setUp(): void
    {
        FakeModule::load();
        $this->root = sys_get_temp_dir() . '/sgwhmcs-modhooks-' . getmypid();
        WhmcsTree::create($this->root);
        foreach ([FakeModule::GENERATING, FakeModule::OPTING_OUT] as $module) {
            mkdir("{$this->root}/modules/servers/$module");
            file_put_contents(
                "{$this->root}/modules/servers/$module/hooks.php",
                "<?php add_hook('EmailPreSend', 1, fn (\$v) => ['from' => '$module']);\n"
            );
        }
        $this->whmcs = Whmcs::fresh(FakeModule::GENERATING);
    }

    protected function tearDown(): void
    {
        WhmcsTree::remove($this->root);
    }

    public function testAModulesHooksFileIsNotLoadedWhileNoProductUsesIt(): void
    {
        $this->whmcs->addProduct('Hosting', [], ['servertype' => '']);

        self::assertSame([], $this->whmcs->loadHookFiles($this->root));
        self::assertSame(0, $this->whmcs->hooks()->count('EmailPreSend'));
    }

    public function testItIsLoadedOnceAProductOfTheModuleIsSaved(): void
    {
        $this->whmcs->addProduct('Fake');

        self::assertSame(
            ["{$this->root}/modules/servers/" . FakeModule::GENERATING . '/hooks.php'],
            $this->whmcs->loadHookFiles($this->root)
        );
        self::assertSame(FakeModule::GENERATING, $this->whmcs->settingValue('ModuleHooks'));
    }
}
