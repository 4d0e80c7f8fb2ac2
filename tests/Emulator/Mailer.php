<?php

/**
 * The emulated WHMCS email sending: email templates (tblemailtemplates), the merge fields WHMCS
 * offers a template of each type, and the rendering of a template's Smarty placeholders
 * `{$name}` and `{$name.key}` (e.g. `{$client_custom_fields.0}`). Whmcs::sendEmail() runs the
 * EmailPreSend hooks between building the merge fields and rendering.
 */

declare(strict_types=1);

namespace SgWhmcs\Tests\Emulator;

final class Mailer
{
    /** The installation's company name (General Settings), offered as {$company_name}. */
    public const COMPANY_NAME = 'Example Hosting';

    /** The default templates of a new installation that the tests use: name => [type, subject, message]. */
    public const DEFAULT_TEMPLATES = [
        'Client Signup Email' => [
            'general',
            'Welcome',
            "Dear {\$client_name},\n\nThank you for signing up with us.\n\n{\$signature}",
        ],
        'Other Product/Service Welcome Email' => [
            'product',
            'New Product Information',
            "Dear {\$client_name},\n\nYour order for {\$service_product_name} has now been activated.\n\n"
                . "{\$signature}",
        ],
    ];

    public function __construct(private Store $store, private LocalApi $api)
    {
    }

    /** Adds the default templates to a new installation. */
    public function seed(): void
    {
        foreach (self::DEFAULT_TEMPLATES as $name => [$type, $subject, $message]) {
            $this->save($name, $type, $subject, $message);
        }
    }

    /**
     * Setup › Email Templates: creates template NAME of TYPE, or edits it; returns its id.
     */
    public function save(string $name, string $type, string $subject, string $message): int
    {
        foreach ($this->store->emailTemplates as $id => $template) {
            if ($template['name'] === $name && $template['language'] === '') {
                $this->store->emailTemplates[$id] = array_merge(
                    $template,
                    ['type' => $type, 'subject' => $subject, 'message' => $message]
                );
                return $id;
            }
        }
        $id = $this->store->nextId('tblemailtemplates');
        $this->store->emailTemplates[$id] = [
            'id' => $id,
            'type' => $type,
            'name' => $name,
            'subject' => $subject,
            'message' => $message,
            'attachments' => '',
            'fromname' => '',
            'fromemail' => '',
            'disabled' => 0,
            'custom' => isset(self::DEFAULT_TEMPLATES[$name]) ? 0 : 1,
            'language' => '',
            'copyto' => '',
            'blind_copy_to' => '',
            'plaintext' => 0,
        ];
        return $id;
    }

    /**
     * The merge fields WHMCS offers TEMPLATE about RELID (a client id for general emails, a
     * service id for product emails): the client's, with `client_custom_fields` the list of the
     * client's custom field values in field order (0-based), and for product emails the service's.
     *
     * @param array<string, mixed> $template
     * @return array<string, mixed>
     */
    public function mergeFields(array $template, int $relid): array
    {
        $fields = [
            'company_name' => self::COMPANY_NAME,
            'whmcs_url' => 'https://billing.example.test/',
            'signature' => self::COMPANY_NAME,
        ];
        if ($template['type'] === 'product') {
            $service = $this->store->service($relid);
            $product = $this->store->product($service['packageid']);
            $server = $service['server'] > 0 ? $this->store->server($service['server']) : null;
            $fields += [
                'service_id' => $relid,
                'service_product_name' => $product['name'],
                'service_domain' => $service['domain'],
                'service_username' => $service['username'],
                'service_password' => $service['password'],
                'service_status' => $service['domainstatus'],
                'service_reg_date' => $service['regdate'],
                'service_server_name' => (string) ($server['name'] ?? ''),
                'service_server_hostname' => (string) ($server['hostname'] ?? ''),
            ];
            $clientId = (int) $service['userid'];
        } elseif ($template['type'] === 'general') {
            $clientId = $relid;
        } else {
            throw new \InvalidArgumentException("the emulator does not send {$template['type']} emails");
        }
        $client = $this->api->clientDetails($clientId);
        $fields += [
            'client_id' => $clientId,
            'client_name' => $client['fullname'],
            'client_first_name' => $client['firstname'],
            'client_last_name' => $client['lastname'],
            'client_company_name' => $client['companyname'],
            'client_email' => $client['email'],
            'client_address1' => $client['address1'],
            'client_city' => $client['city'],
            'client_state' => $client['state'],
            'client_postcode' => $client['postcode'],
            'client_country' => $client['country'],
            'client_phonenumber' => $client['phonenumber'],
            'client_status' => $client['status'],
        ];
        // As WHMCS 8's Mail merge data: per client custom field (in display order, a password
        // field decrypted) `client_custom_field_<name: lowercase, only a-z and 0-9>`, the value
        // in the 0-based list `client_custom_fields`, and {name, value} in
        // `client_custom_fields_by_name`.
        $fields['client_custom_fields'] = [];
        $fields['client_custom_fields_by_name'] = [];
        $names = $this->store->clientFields();
        foreach ($client['customfields'] as $field) {
            $name = (string) $names[$field['id']];
            $fields['client_custom_field_' . preg_replace('/[^0-9a-z]/', '', strtolower($name))] = $field['value'];
            $fields['client_custom_fields'][] = $field['value'];
            $fields['client_custom_fields_by_name'][] = ['name' => $name, 'value' => $field['value']];
        }
        return $fields;
    }

    /**
     * Renders TEXT like Smarty renders a WHMCS template's placeholders: `{$name}` and
     * `{$name.key.key}` become the merge field's value; an unknown one, or an array, becomes ''.
     *
     * @param array<string, mixed> $fields
     */
    public static function render(string $text, array $fields): string
    {
        return (string) preg_replace_callback(
            '/\{\$([A-Za-z_][A-Za-z0-9_]*)((?:\.[A-Za-z0-9_]+)*)\}/',
            function (array $match) use ($fields): string {
                $value = $fields[$match[1]] ?? null;
                foreach (array_slice(explode('.', $match[2]), 1) as $key) {
                    $value = is_array($value) ? ($value[ctype_digit($key) ? (int) $key : $key] ?? null) : null;
                }
                return is_scalar($value) ? (string) $value : '';
            },
            $text
        );
    }
}
