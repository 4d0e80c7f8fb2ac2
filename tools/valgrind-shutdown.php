<?php

/**
 * Prepended (auto_prepend_file) to the PHP run of tools/valgrind.sh. A release build of PHP runs
 * no garbage collection during shutdown, so objects still in a reference cycle when the request
 * ends (PHPUnit keeps many) are never freed, and with USE_ZEND_ALLOC=0 memcheck reports each as
 * "definitely lost": noise that would hide real leaks. As the very last shutdown function, this
 * drops the globals and the user classes' static properties and collects the cycles.
 *
 * It cannot hide a real leak: the cycle collector frees only objects whose every reference comes
 * from inside the garbage, so an object kept alive by a reference that C code (the extension)
 * forgot to release is still reported.
 */

declare(strict_types=1);

register_shutdown_function(static function (): void {
    // Registered during shutdown, so it runs after every shutdown function registered so far.
    register_shutdown_function(static function (): void {
        foreach (array_keys($GLOBALS) as $name) {
            unset($GLOBALS[$name]);
        }
        foreach (get_declared_classes() as $class) {
            $reflection = new ReflectionClass($class);
            if (!$reflection->isUserDefined()) {
                continue;
            }
            foreach ($reflection->getProperties(ReflectionProperty::IS_STATIC) as $property) {
                try {
                    $property->setValue(null, null);
                } catch (Throwable) {
                    // A typed, non-nullable static property: an array one (a test double's record
                    // of calls, whose $params hold cyclic Model objects) is emptied; any other
                    // type keeps its value.
                    try {
                        $property->setValue(null, []);
                    } catch (Throwable) {
                    }
                }
            }
        }
        gc_collect_cycles();
    });
});
