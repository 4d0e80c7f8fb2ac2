<?php

/**
 * The merge field {$backup_pass_key} of the generated modules/servers/NAME/hooks.php: after
 * CreateAccount with Retrieve Customer Pass Key (field 23), the product's welcome email shows the
 * customer's pass key through {$backup_pass_key} and through {$client_custom_fields.N} of the
 * README ("Pass key", step 6); an email about anything else gets no backup_pass_key.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Email;

use SgWhmcs\Generator\ModuleGenerator;
use SgWhmcs\Tests\Emulator\Evidence;
use SgWhmcs\Tests\Support\Labels;
use SgWhmcs\Tests\Support\ModuleTestCase;
use SgWhmcs\Tests\Support\TestModule;

/** @group glue */
final class WelcomeEmailTest extends ModuleTestCase
{
    private const TEMPLATE = 'Backup Welcome Email';
    private const MESSAGE = "Dear {\$client_first_name},\n"
        . "Your Customer PassKey : {\$backup_pass_key}\n"
        . "(field) {\$client_custom_fields.1}\n"
        . "Notes: {\$client_custom_fields.0}\n";

    protected function setUp(): void
    {
        parent::setUp();
        // WHMCS loads a module's hooks.php only once a product uses the module (its module hooks
        // cache is rebuilt when a product is saved).
        $this->customerProduct();
        $files = $this->whmcs->loadHookFiles(ROOTDIR);
        self::assertContains(ModuleGenerator::hooksPath(ROOTDIR, TestModule::NAME), $files);
        self::assertSame(1, $this->whmcs->hooks()->count('EmailPreSend'), 'the module\'s hooks.php registers it');
        $this->whmcs->addClientCustomField('Notes');
        $this->whmcs->addClientCustomField('Pass Key');
        $this->whmcs->editEmailTemplate(self::TEMPLATE, self::MESSAGE);
    }

    public function testTheWelcomeEmailShowsThePassKeyAfterCreateAccount(): void
    {
        $productId = $this->customerProduct([Labels::PASS_KEY => 'on']);
        $this->whmcs->setWelcomeEmail($productId, self::TEMPLATE);

        [$serviceId, $result] = $this->orderAndAccept($productId, 'acme-mail', ['customfields' => ['Notes' => 'vip']]);

        $this->assertCreated($serviceId, $result);
        $passkey = $this->sim->passkey('acme-mail');
        Evidence::addSecret($passkey);
        $emails = $this->whmcs->emails();
        self::assertCount(1, $emails, 'accepting the order sent the welcome email');
        self::assertSame($serviceId, $emails[0]['relid']);
        self::assertTrue($emails[0]['sent']);
        self::assertSame($passkey, $emails[0]['mergefields']['backup_pass_key']);
        self::assertSame(
            "Dear Jane,\nYour Customer PassKey : $passkey\n(field) $passkey\nNotes: vip\n",
            $emails[0]['message']
        );
    }

    public function testResendingTheEmailFromTheServiceShowsItToo(): void
    {
        [$serviceId, $result] = $this->orderAndAccept($this->customerProduct([Labels::PASS_KEY => 'on']), 'acme-again');
        $this->assertCreated($serviceId, $result);
        $passkey = $this->sim->passkey('acme-again');
        Evidence::addSecret($passkey);

        $email = $this->whmcs->sendEmail(self::TEMPLATE, $serviceId);

        self::assertStringContainsString("Your Customer PassKey : $passkey\n", $email['message']);
        self::assertStringContainsString("(field) $passkey\n", $email['message']);
    }

    public function testAnEmailAboutAServiceOfAnotherModuleGetsNoPassKey(): void
    {
        [$serviceId, $result] = $this->orderAndAccept($this->customerProduct([Labels::PASS_KEY => 'on']), 'acme-other');
        $this->assertCreated($serviceId, $result);
        $clientId = $this->whmcs->service($serviceId)['userid'];
        $other = $this->whmcs->addProduct('Web Hosting', [], ['servertype' => 'cpanel']);
        $otherService = $this->whmcs->orderService($this->whmcs->placeOrder($clientId, $other));

        $email = $this->whmcs->sendEmail(self::TEMPLATE, $otherService);

        self::assertArrayNotHasKey('backup_pass_key', $email['mergefields']);
        self::assertStringContainsString("Your Customer PassKey : \n", $email['message']);
    }

    public function testAGeneralEmailGetsNoPassKeyEvenWhenItsClientIdIsAServiceId(): void
    {
        $this->whmcs->editEmailTemplate('Backup Note', 'Key: [{$backup_pass_key}]', 'general');
        $bystander = $this->whmcs->addClient(['email' => 'bystander@example.test']);
        [$serviceId, $result] = $this->orderAndAccept($this->customerProduct([Labels::PASS_KEY => 'on']), 'acme-leak');
        $this->assertCreated($serviceId, $result);
        Evidence::addSecret($this->sim->passkey('acme-leak'));
        self::assertSame($bystander, $serviceId, 'the bystander\'s client id is the other client\'s service id');

        $email = $this->whmcs->sendEmail('Backup Note', $bystander);

        self::assertSame('bystander@example.test', $email['to']);
        self::assertArrayNotHasKey('backup_pass_key', $email['mergefields'], 'no other client\'s pass key');
        self::assertSame('Key: []', $email['message']);
    }

    public function testWithoutAStoredPassKeyThereIsNoMergeField(): void
    {
        $productId = $this->customerProduct([Labels::PASS_KEY => '']);
        $this->whmcs->setWelcomeEmail($productId, self::TEMPLATE);

        [$serviceId, $result] = $this->orderAndAccept($productId, 'acme-nokey');

        $this->assertCreated($serviceId, $result);
        $email = $this->whmcs->emails()[0];
        self::assertArrayNotHasKey('backup_pass_key', $email['mergefields']);
        self::assertStringContainsString("Your Customer PassKey : \n(field) \n", $email['message']);
    }
}
