<?php

/**
 * For a test that reads PHP's error log (where the extension writes what no answer can carry):
 * each test gets a fresh temporary `error_log` file in `$this->errorLog`, and the previous
 * setting is restored after it.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Support;

trait CapturesErrorLog
{
    /** The error log file of the running test. */
    protected string $errorLog = '';

    private string|false $previousErrorLog = false;

    /** @before */
    public function captureErrorLog(): void
    {
        $this->errorLog = (string) tempnam(sys_get_temp_dir(), 'sgwhmcs-errlog');
        $this->previousErrorLog = ini_set('error_log', $this->errorLog);
    }

    /** @after */
    public function restoreErrorLog(): void
    {
        ini_set('error_log', (string) $this->previousErrorLog);
        @unlink($this->errorLog);
    }
}
