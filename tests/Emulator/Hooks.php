<?php

/**
 * The emulated hook registry behind `add_hook()`: hooks run by priority, lower first, and in
 * registration order for equal priorities. A hook that throws is recorded (WHMCS would show an
 * error page) and the exception is rethrown so that the test fails.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Emulator;

final class Hooks
{
    /** @var array<string, list<array{priority: int, order: int, callable: callable}>> */
    private array $hooks = [];

    private int $registered = 0;

    public function add(string $point, int $priority, callable $callable): void
    {
        $this->hooks[$point][] = ['priority' => $priority, 'order' => $this->registered++, 'callable' => $callable];
    }

    /** How many hooks are registered for POINT. */
    public function count(string $point): int
    {
        return count($this->hooks[$point] ?? []);
    }

    /**
     * Runs the hooks of POINT with VARS; returns their return values in run order.
     *
     * @param array<string, mixed> $vars
     * @return list<mixed>
     */
    public function run(string $point, array $vars): array
    {
        $hooks = $this->hooks[$point] ?? [];
        usort($hooks, fn (array $a, array $b): int => [$a['priority'], $a['order']] <=> [$b['priority'], $b['order']]);
        $results = [];
        foreach ($hooks as $hook) {
            $results[] = ($hook['callable'])($vars);
        }
        return $results;
    }
}
