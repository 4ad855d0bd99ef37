# Supervisor-defined pools of agents (campaigns/models/pools.py).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('campaigns', '0017_history'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AgentPool',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, unique=True)),
                ('agents', models.PositiveIntegerField(help_text='How many agents the pool has whenever the staffing profile says nothing else.', verbose_name='usual agents')),
                ('zone', models.CharField(default='UTC', help_text='The wall clock the hours are on.', max_length=64, verbose_name='time zone of the profile')),
                ('staffing', models.JSONField(blank=True, default=list, verbose_name='weekly staffing')),
                ('lock_version', models.PositiveIntegerField(default=1)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['name'],
            },
        ),
        migrations.CreateModel(
            name='PoolMember',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('campaign', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='pool_membership', to='campaigns.campaign')),
                ('pool', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='members', to='campaigns.agentpool')),
                ('skill', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='pool_membership', to='campaigns.capacitypool')),
            ],
            options={
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('campaign__isnull', False), ('skill__isnull', True)), models.Q(('campaign__isnull', True), ('skill__isnull', False)), _connector='OR'), name='pool_member_is_a_campaign_or_a_skill')],
            },
        ),
    ]
