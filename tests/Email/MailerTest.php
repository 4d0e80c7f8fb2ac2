<?php

/**
 * The emulator's email sending, as WHMCS does it: merge fields per template type (with
 * client_custom_fields a 0-based list in field order), EmailPreSend hooks that add or override
 * merge fields or abort the email, and the rendering of `{$name}` / `{$name.N}` placeholders.
 * (No Backup Server needed.)
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Email;

use PHPUnit\Framework\TestCase;
use SgWhmcs\Tests\Emulator\Mailer;
use SgWhmcs\Tests\Emulator\Whmcs;
use SgWhmcs\Tests\Support\TestModule;

final class MailerTest extends TestCase
{
    private Whmcs $whmcs;

    protected function setUp(): void
    {
        $this->whmcs = Whmcs::fresh(TestModule::NAME);
    }

    public function testPlaceholdersAreReplacedAndUnknownOnesAreEmpty(): void
    {
        $fields = ['client_name' => 'Jane Doe', 'list' => ['a', 'b'], 'map' => ['k' => 'v'], 'n' => 7];

        $text = Mailer::render(
            'Hi {$client_name}, {$list.1}{$list.0} {$map.k} {$n} [{$nope}] [{$list}] {$list.9}.',
            $fields
        );

        self::assertSame('Hi Jane Doe, ba v 7 [] [] .', $text);
    }

    public function testClientCustomFieldsAreAListInFieldOrder(): void
    {
        $this->whmcs->addClientCustomField('B');
        $a = $this->whmcs->addClientCustomField('A');
        $this->whmcs->store()->customFields[$a]['sortorder'] = -1;
        $clientId = $this->whmcs->addClient(['customfields' => ['A' => 'first', 'B' => 'second']]);
        $this->whmcs->editEmailTemplate('Hello', '{$client_custom_fields.0}/{$client_custom_fields.1}', 'general');

        $email = $this->whmcs->sendEmail('Hello', $clientId);

        self::assertSame(['first', 'second'], $email['mergefields']['client_custom_fields']);
        self::assertSame('first/second', $email['message']);
    }

    public function testAProductEmailHasTheServicesFields(): void
    {
        $productId = $this->whmcs->addProduct('Backup Plan');
        $clientId = $this->whmcs->addClient(['firstname' => 'Ann', 'email' => 'ann@example.test']);
        $orderId = $this->whmcs->placeOrder($clientId, $productId, ['username' => 'ann-1']);
        $serviceId = $this->whmcs->orderService($orderId);

        $email = $this->whmcs->sendEmail('Other Product/Service Welcome Email', $serviceId);

        self::assertTrue($email['sent']);
        self::assertSame('ann@example.test', $email['to']);
        self::assertSame($serviceId, $email['mergefields']['service_id']);
        self::assertSame('ann-1', $email['mergefields']['service_username']);
        self::assertSame('Backup Plan', $email['mergefields']['service_product_name']);
        self::assertStringContainsString('Dear Ann Doe', $email['message']);
        self::assertStringContainsString('Your order for Backup Plan has now been activated', $email['message']);
        self::assertSame([$email], $this->whmcs->emails());
    }

    public function testEmailPreSendGetsTheMessageNameRelidAndMergeFieldsAndItsArrayIsMerged(): void
    {
        $clientId = $this->whmcs->addClient(['firstname' => 'Ann']);
        $this->whmcs->editEmailTemplate('Note', '{$client_first_name}: {$extra}', 'general');
        $seen = [];
        add_hook('EmailPreSend', 1, function (array $vars) use (&$seen): array {
            $seen[] = $vars;
            return ['extra' => 'added', 'client_first_name' => 'Overridden'];
        });
        add_hook('EmailPreSend', 2, fn (array $vars): mixed => null);

        $email = $this->whmcs->sendEmail('Note', $clientId);

        self::assertCount(1, $seen);
        self::assertSame('Note', $seen[0]['messagename']);
        self::assertSame($clientId, $seen[0]['relid']);
        self::assertSame('Ann', $seen[0]['mergefields']['client_first_name']);
        self::assertSame('Overridden: added', $email['message']);
    }

    public function testAHookMayAbortTheEmail(): void
    {
        $clientId = $this->whmcs->addClient();
        add_hook('EmailPreSend', 1, fn (array $vars): array => ['abortsend' => true]);

        $email = $this->whmcs->sendEmail('Client Signup Email', $clientId);

        self::assertFalse($email['sent']);
        self::assertArrayNotHasKey('abortsend', $email['mergefields']);
    }

    public function testAcceptingAnOrderSendsTheProductsWelcomeEmailOnlyAfterASuccessfulCreate(): void
    {
        $this->whmcs->editEmailTemplate('Plan Welcome', 'Welcome {$service_username}');
        $productId = $this->whmcs->addProduct('Hosting', [], ['servertype' => '', 'welcomeemail' => 'Plan Welcome']);
        $quiet = $this->whmcs->addProduct('Quiet', [], ['servertype' => '']);
        $clientId = $this->whmcs->addClient();
        $orderId = $this->whmcs->placeOrder($clientId, $productId, ['username' => 'u1']);
        $this->whmcs->acceptOrder($this->whmcs->placeOrder($clientId, $quiet));
        $this->whmcs->acceptOrder($this->whmcs->placeOrder($clientId, $productId), true, false);

        $this->whmcs->acceptOrder($orderId);

        self::assertCount(1, $this->whmcs->emails());
        self::assertSame('Welcome u1', $this->whmcs->emails()[0]['message']);
        self::assertSame($this->whmcs->orderService($orderId), $this->whmcs->emails()[0]['relid']);
    }

    public function testAnUnknownTemplateIsRefused(): void
    {
        $this->expectException(\OutOfBoundsException::class);

        $this->whmcs->sendEmail('No Such Template', $this->whmcs->addClient());
    }
}
