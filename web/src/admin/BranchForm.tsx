import { Select, SimpleGrid, Text, Textarea } from '@mantine/core';
import { useMemo, useState } from 'react';
import { CRITICALITIES, type Criticality } from '@branchwatch/api';
import type { Branch } from '../api/types';
import { FormDialog } from '../common/FormDialog';
import { fieldRefusal, useFormAction } from '../common/forms';
import { useAdminApi } from '../common/useLoad';
import { timeZoneChoices } from '../common/timeZones';
import { useI18n } from '../i18n';
import { Field } from './crud';
import { parseCoordinate, splitCoordinates } from './coordinates';

/**
 * A branch's name, address, coordinates, time zone and criticality, in a dialog (full screen
 * on a phone). Criticality has its own route (alerts.manage); it is sent only when changed.
 */
export function BranchForm({
  branch,
  onClose,
  onSaved,
}: {
  branch: Branch;
  onClose: () => void;
  onSaved: () => void;
}) {
  const { t } = useI18n();
  const api = useAdminApi();
  const [name, setName] = useState(branch.name);
  const [address, setAddress] = useState(branch.address ?? '');
  const [latitude, setLatitude] = useState(branch.latitude?.toString() ?? '');
  const [longitude, setLongitude] = useState(branch.longitude?.toString() ?? '');
  const [timeZone, setTimeZone] = useState(branch.timeZone);
  const [criticality, setCriticality] = useState<Criticality>(branch.criticality);
  const zones = useMemo(() => timeZoneChoices(branch.timeZone), [branch.timeZone]);

  const form = useFormAction(
    async () => {
      const lat = parseCoordinate(latitude);
      const lon = parseCoordinate(longitude);
      if (Number.isNaN(lat)) throw fieldRefusal('latitude', t('admin.notANumber'));
      if (Number.isNaN(lon)) throw fieldRefusal('longitude', t('admin.notANumber'));
      if ((lat === null) !== (lon === null)) {
        throw fieldRefusal(lat === null ? 'latitude' : 'longitude', t('admin.coordinatesPair'));
      }
      await api.updateBranch(branch.id, {
        name,
        address,
        latitude: lat,
        longitude: lon,
        timeZone,
      });
      if (criticality !== branch.criticality) {
        await api.setBranchAlerting(branch.id, { criticality });
      }
    },
    () => {
      onSaved();
      onClose();
    },
  );

  return (
    <FormDialog
      title={t('admin.branches.edit', { name: branch.name })}
      form={form}
      onClose={onClose}
      size="lg"
      testId="branch-form"
      saveTestId="branch-save"
    >
      <Text size="xs" c="dimmed">
        {t('admin.branches.slugFixed', { slug: branch.slug })}
      </Text>
      <Field form={form} name="name" label={t('admin.name')} value={name} onChange={setName} />
      <Textarea
        label={t('admin.branches.address')}
        value={address}
        onChange={(e) => setAddress(e.currentTarget.value)}
        error={form.messageFor('address')}
        autosize
        minRows={2}
      />
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
        <Field
          form={form}
          name="latitude"
          label={t('admin.branches.latitude')}
          value={latitude}
          ltr
          inputMode="decimal"
          onChange={(value) => {
            // A pair pasted from a map app fills both fields.
            const pair = splitCoordinates(value);
            if (pair) {
              setLatitude(pair[0]);
              setLongitude(pair[1]);
            } else setLatitude(value);
          }}
        />
        <Field
          form={form}
          name="longitude"
          label={t('admin.branches.longitude')}
          value={longitude}
          ltr
          inputMode="decimal"
          onChange={setLongitude}
        />
      </SimpleGrid>
      <Text size="xs" c="dimmed" mt={-6}>
        {t('admin.branches.coordinatesHelp')}
      </Text>
      <Select
        label={t('admin.branches.timeZone')}
        description={t('admin.branches.timeZoneHelp')}
        placeholder={t('admin.branches.timeZoneSearch')}
        data={zones}
        value={timeZone}
        onChange={(value) => value && setTimeZone(value)}
        searchable
        allowDeselect={false}
        nothingFoundMessage={t('admin.branches.timeZoneSearch')}
        error={form.messageFor('timeZone')}
        dir="ltr"
        data-testid="branch-time-zone"
      />
      <Select
        label={t('admin.branches.criticality')}
        description={t('admin.branches.criticalityHelp')}
        data={CRITICALITIES.map((c) => ({ value: c, label: t(`criticality.${c}`) }))}
        value={criticality}
        onChange={(value) => value && setCriticality(value as Criticality)}
        allowDeselect={false}
        error={form.messageFor('criticality')}
      />
    </FormDialog>
  );
}
