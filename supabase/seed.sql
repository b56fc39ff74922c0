-- Demo reference data: four clinics in district and rural towns, twelve doctors, and 30-minute slots
-- for the next 14 days (clinic time, Asia/Kolkata). Clinic and doctor ids are fixed so tests and
-- demos can name them; re-running the file adds nothing twice.
--
-- No staff member: a staff row needs an auth user, which only sign-up creates.

insert into public.clinics (id, name, town, district, state, address, phone) values
  ('c1a1c000-0000-4000-8000-000000000001', 'Sitapur District Hospital OPD', 'Sitapur', 'Sitapur',
    'Uttar Pradesh', 'Civil Lines, near Lalbagh Chauraha, Sitapur 261001', '+915862242101'),
  ('c1a1c000-0000-4000-8000-000000000002', 'Community Health Centre Barwani', 'Barwani', 'Barwani',
    'Madhya Pradesh', 'Ranjeet Chowk, Barwani 451551', '+917290222345'),
  ('c1a1c000-0000-4000-8000-000000000003', 'Arogya Clinic Pennagaram', 'Pennagaram', 'Dharmapuri',
    'Tamil Nadu', 'Bus Stand Road, Pennagaram 636810', '+914342255120'),
  ('c1a1c000-0000-4000-8000-000000000004', 'Sundarban Health Point Gosaba', 'Gosaba', 'South 24 Parganas',
    'West Bengal', 'Gosaba Ferry Ghat Road, Gosaba 743370', '+913218245567')
on conflict (id) do nothing;

insert into public.doctors (id, clinic_id, name, specialty, languages, offers_video) values
  ('d0c70000-0000-4000-8000-000000000001', 'c1a1c000-0000-4000-8000-000000000001', 'Dr. Anjali Verma',
    'general medicine', array['hi', 'en'], true),
  ('d0c70000-0000-4000-8000-000000000002', 'c1a1c000-0000-4000-8000-000000000001', 'Dr. Rakesh Tiwari',
    'paediatrics', array['hi', 'en'], true),
  ('d0c70000-0000-4000-8000-000000000003', 'c1a1c000-0000-4000-8000-000000000001', 'Dr. Farah Siddiqui',
    'gynaecology', array['hi', 'ur', 'en'], false),
  ('d0c70000-0000-4000-8000-000000000004', 'c1a1c000-0000-4000-8000-000000000002', 'Dr. Sunil Patidar',
    'general medicine', array['hi'], false),
  ('d0c70000-0000-4000-8000-000000000005', 'c1a1c000-0000-4000-8000-000000000002', 'Dr. Meena Solanki',
    'dermatology', array['hi', 'en'], true),
  ('d0c70000-0000-4000-8000-000000000006', 'c1a1c000-0000-4000-8000-000000000002', 'Dr. Vikram Chouhan',
    'cardiology', array['hi', 'en'], true),
  ('d0c70000-0000-4000-8000-000000000007', 'c1a1c000-0000-4000-8000-000000000003', 'Dr. Lakshmi Narayanan',
    'general medicine', array['ta', 'en'], true),
  ('d0c70000-0000-4000-8000-000000000008', 'c1a1c000-0000-4000-8000-000000000003', 'Dr. Senthil Kumar',
    'ENT', array['ta', 'en', 'kn'], false),
  ('d0c70000-0000-4000-8000-000000000009', 'c1a1c000-0000-4000-8000-000000000003', 'Dr. Priya Ramasamy',
    'paediatrics', array['ta', 'en'], true),
  ('d0c70000-0000-4000-8000-000000000010', 'c1a1c000-0000-4000-8000-000000000004', 'Dr. Subhash Mondal',
    'general medicine', array['bn', 'hi', 'en'], true),
  ('d0c70000-0000-4000-8000-000000000011', 'c1a1c000-0000-4000-8000-000000000004', 'Dr. Rituparna Das',
    'gynaecology', array['bn', 'en'], true),
  ('d0c70000-0000-4000-8000-000000000012', 'c1a1c000-0000-4000-8000-000000000004', 'Dr. Arindam Ghosh',
    'orthopaedics', array['bn', 'en'], false)
on conflict (id) do nothing;

-- Monday to Saturday: in-clinic 09:00–12:00; doctors who offer video also take video calls
-- 12:00–13:00 and 17:00–18:00.
insert into public.slots (doctor_id, starts_at, ends_at, mode)
select d.id,
  (g.day::date + t.at) at time zone 'Asia/Kolkata',
  (g.day::date + t.at + interval '30 minutes') at time zone 'Asia/Kolkata',
  t.mode
from public.doctors d
cross join generate_series(current_date, current_date + 13, interval '1 day') as g(day)
cross join (
  select time '09:00' + n * interval '30 minutes' as at, 'in_person' as mode
  from generate_series(0, 5) as n
  union all
  select at, 'video'
  from unnest(array[time '12:00', time '12:30', time '17:00', time '17:30']) as at
) t
where extract(isodow from g.day) <> 7
  and (t.mode = 'in_person' or d.offers_video)
on conflict (doctor_id, starts_at) do nothing;
