<?php

/**
 * <module>_ConfigOptions(): the 24 Module Settings of docs/settings.md, in their stored order,
 * with their types, defaults and choices.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Module;

use SgWhmcs\Tests\Support\Labels;
use SgWhmcs\Tests\Support\ModuleTestCase;

final class ConfigOptionsTest extends ModuleTestCase
{
    private const TYPES = ['text', 'password', 'yesno', 'dropdown', 'radio', 'textarea'];

    public function testDeclaresExactlyTheTwentyFourFieldsInTheirStoredOrder(): void
    {
        $options = $this->whmcs->call('ConfigOptions');

        self::assertIsArray($options);
        self::assertSame(Labels::all(), array_keys($options));
    }

    /** @return array<string, array{int, string}> */
    public function fields(): array
    {
        $cases = [];
        foreach (Labels::all() as $index => $label) {
            $cases[($index + 1) . ' ' . $label] = [$index + 1, $label];
        }
        return $cases;
    }

    /** @dataProvider fields */
    public function testEachFieldHasItsLabelTypeDefaultAndChoices(int $position, string $label): void
    {
        [$type, $default, $choices] = Labels::TABLE[$label];
        $field = array_values($this->whmcs->call('ConfigOptions'))[$position - 1] ?? null;

        self::assertIsArray($field, "field $position");
        self::assertSame($label, $field['FriendlyName'] ?? null);
        self::assertContains($field['Type'] ?? null, self::TYPES);
        self::assertSame($type, $field['Type']);
        self::assertSame($default, self::defaultOf($field), "default of $label");
        if ($choices !== null) {
            $options = $field['Options'] ?? null;
            $offered = is_array($options) ? array_map('strval', array_keys($options)) : explode(',', (string) $options);
            sort($offered);
            sort($choices);
            self::assertSame($choices, $offered, "choices of $label");
        }
        self::assertIsString($field['Description'] ?? '');
    }

    public function testAProductSavedWithTheDefaultsStoresWhatTheTableSays(): void
    {
        $productId = $this->whmcs->addProduct('Defaults only');

        $product = $this->whmcs->store()->product($productId);
        foreach (Labels::all() as $index => $label) {
            self::assertSame(Labels::TABLE[$label][1], $product['configoption' . ($index + 1)], $label);
        }
    }

    /** The stored value a field defaults to: yes/no boxes store 'on' or ''. @param array<string, mixed> $field */
    private static function defaultOf(array $field): string
    {
        $default = $field['Default'] ?? '';
        if (($field['Type'] ?? '') === 'yesno') {
            self::assertContains($default, ['on', '', 'yes', true, false], 'a yes/no default');
            return in_array($default, ['on', 'yes', true], true) ? 'on' : '';
        }
        return (string) $default;
    }
}
